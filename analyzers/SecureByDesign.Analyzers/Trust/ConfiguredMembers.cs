using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// Methods named in an .editorconfig list by documentation-comment id: <c>M:Ns.Type.Method</c> matches every overload,
/// <c>M:Ns.Type.Method(System.Int32)</c> one, <c>T:Ns.Type</c> every method of the type, and a bare
/// <c>Ns.Type.Method</c> reads as <c>M:Ns.Type.Method</c>. Separated by commas, semicolons or white space.
/// </summary>
internal sealed class ConfiguredMembers
{
    private static readonly char[] ListSeparators = [',', ';', ' ', '\t', '\r', '\n'];

    private readonly ImmutableHashSet<string> methods;
    private readonly ImmutableHashSet<string> types;

    private ConfiguredMembers(ImmutableHashSet<string> methods, ImmutableHashSet<string> types)
    {
        this.methods = methods;
        this.types = types;
    }

    /// <summary>The entries, as normalized (<c>M:</c> or <c>T:</c> first).</summary>
    public IEnumerable<string> Entries => methods.Concat(types);

    public static ConfiguredMembers Parse(string? text)
    {
        var methods = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var types = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var entry in (text ?? string.Empty).Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.StartsWith("M:", StringComparison.Ordinal) && entry.Length > 2)
            {
                methods.Add(entry);
            }
            else if (entry.StartsWith("T:", StringComparison.Ordinal) && entry.Length > 2)
            {
                types.Add(entry);
            }
            else if (entry.IndexOf(':') < 0)
            {
                methods.Add("M:" + entry);
            }
        }

        return new ConfiguredMembers(methods.ToImmutable(), types.ToImmutable());
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
}
