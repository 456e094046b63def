using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// Members named in an .editorconfig list by documentation-comment id: <c>M:Ns.Type.Method</c> matches every overload,
/// <c>M:Ns.Type.Method(System.Int32)</c> one, <c>T:Ns.Type</c> every method of the type, <c>P:Ns.Type.Property</c> the
/// property on the type and on the types that derive from it or implement it, and a bare <c>Ns.Type.Member</c> reads
/// with the list's own prefix (<c>M:</c> unless the list is of properties). Separated by commas, semicolons or white space.
/// </summary>
internal sealed class ConfiguredMembers
{
    private static readonly char[] ListSeparators = [',', ';', ' ', '\t', '\r', '\n'];

    public const string Method = "M:";
    public const string Property = "P:";
    private const string Type = "T:";

    private readonly ImmutableHashSet<string> methods;
    private readonly ImmutableHashSet<string> types;
    private readonly ImmutableHashSet<string> properties;

    private ConfiguredMembers(ImmutableHashSet<string> methods, ImmutableHashSet<string> types, ImmutableHashSet<string> properties)
    {
        this.methods = methods;
        this.types = types;
        this.properties = properties;
    }

    /// <summary>The entries, as normalized (<c>M:</c>, <c>T:</c> or <c>P:</c> first).</summary>
    public IEnumerable<string> Entries => methods.Concat(types).Concat(properties);

    /// <summary>The list in <paramref name="text"/>; a bare name reads with the prefix <paramref name="bare"/>.</summary>
    public static ConfiguredMembers Parse(string? text, string bare = Method)
    {
        var methods = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var types = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var properties = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var item in (text ?? string.Empty).Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = item.IndexOf(':') < 0 ? bare + item : item;
            if (entry.Length <= 2)
            {
                continue;
            }

            var set = entry.Substring(0, 2) switch
            {
                Method => methods,
                Type => types,
                Property => properties,
                _ => null,
            };
            set?.Add(entry);
        }

        return new ConfiguredMembers(methods.ToImmutable(), types.ToImmutable(), properties.ToImmutable());
    }

    /// <summary>
    /// True when the property is named in the list: on its own type, a base type or an interface of it (so an interface's
    /// property matches on every type that implements it, as the catalog's entries do).
    /// </summary>
    public bool Contains(IPropertySymbol property)
    {
        if (properties.Count == 0 || property.IsIndexer || property.ContainingType is not { } owner)
        {
            return false;
        }

        for (var type = owner; type is not null; type = type.BaseType)
        {
            if (Names(type, property.Name))
            {
                return true;
            }
        }

        foreach (var implemented in owner.AllInterfaces)
        {
            if (Names(implemented, property.Name))
            {
                return true;
            }
        }

        return false;
    }

    public bool Contains(IMethodSymbol method)
    {
        if (methods.Count == 0 && types.Count == 0)
        {
            return false;
        }

        var definition = method.ReducedFrom ?? method.OriginalDefinition;
        if (definition.ContainingType?.OriginalDefinition.GetDocumentationCommentId() is { } typeId && types.Contains(typeId))
        {
            return true;
        }

        var id = definition.GetDocumentationCommentId();
        if (id is null)
        {
            return false;
        }

        if (methods.Contains(id))
        {
            return true;
        }

        var parenthesis = id.IndexOf('(');
        return parenthesis > 0 && methods.Contains(id.Substring(0, parenthesis));
    }

    private bool Names(INamedTypeSymbol type, string name) =>
        type.OriginalDefinition.GetDocumentationCommentId() is { Length: > 2 } id && properties.Contains(Property + id.Substring(2) + "." + name);
}
