using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The catalog resolved for one compilation: each entry's type looked up once through <see cref="WellKnownTypes"/>, and
/// members matched by symbol, on the member's type and its base types (and interfaces, where the catalog names one).
/// An entry whose type the compilation does not reference matches nothing.
/// </summary>
internal sealed class TrustModel
{
    private static readonly ConditionalWeakTable<Compilation, TrustModel> Instances = new();

    private readonly Dictionary<INamedTypeSymbol, TrustEntry[]> byType = new(SymbolEqualityComparer.Default);
    private readonly bool hasInterfaces;

    private TrustModel(Compilation compilation)
    {
        Compilation = compilation;
        var types = Types = WellKnownTypes.For(compilation);
        foreach (var group in TrustCatalog.Entries.GroupBy(e => e.Type, StringComparer.Ordinal))
        {
            if (types.Get(group.Key) is { } type)
            {
                byType[type] = group.ToArray();
                hasInterfaces |= type.TypeKind == TypeKind.Interface;
            }
        }

        Readers = new ReaderTypes(types, compilation);
    }

    /// <summary>The compilation the model is resolved for (a callee's body is read from it).</summary>
    public Compilation Compilation { get; }

    /// <summary>The compilation's own reader types, whose reads are sources (<see cref="ReaderTypes"/>).</summary>
    public ReaderTypes Readers { get; }

    /// <summary>The compilation's well-known types, for the questions a rule asks about a type the catalog does not list.</summary>
    public WellKnownTypes Types { get; }

    public static TrustModel For(Compilation compilation) => Instances.GetValue(compilation, c => new TrustModel(c));

    /// <summary>The first entry of the role that names the member, on its type or a base type; null when none does.</summary>
    public TrustEntry? Find(ISymbol? member, TrustRole role)
    {
        if (member?.ContainingType is not { } owner)
        {
            return null;
        }

        // Most calls name no entry: a loop without allocation, as the engine asks this for every call it sees. A constructor
        // is its own type's: a derived type's constructor is not the base type's.
        var constructor = member is IMethodSymbol { MethodKind: MethodKind.Constructor };
        for (var type = owner; type is not null; type = constructor ? null : type.BaseType)
        {
            if (Match(type, member, role) is { } entry)
            {
                return entry;
            }
        }

        if (hasInterfaces)
        {
            foreach (var implemented in owner.AllInterfaces)
            {
                if (Match(implemented, member, role) is { } entry)
                {
                    return entry;
                }
            }
        }

        return null;
    }

    /// <summary>Every entry of the role that names the member, on its type or a base type.</summary>
    public IEnumerable<TrustEntry> FindAll(ISymbol? member, TrustRole role) =>
        member?.ContainingType is not { } owner || Find(member, role) is null ? Array.Empty<TrustEntry>() : FindAll(member, owner, role);

    private IEnumerable<TrustEntry> FindAll(ISymbol member, INamedTypeSymbol owner, TrustRole role)
    {
        foreach (var type in Hierarchy(owner))
        {
            if (byType.TryGetValue(type.OriginalDefinition, out var entries))
            {
                foreach (var entry in entries)
                {
                    if (entry.Role == role && entry.Names(member))
                    {
                        yield return entry;
                    }
                }
            }
        }
    }

    /// <summary>True when the type, or a base type, is an entry of the role that names a type (no member).</summary>
    public bool Is(ITypeSymbol? type, TrustRole role)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        foreach (var candidate in Hierarchy(named))
        {
            if (byType.TryGetValue(candidate.OriginalDefinition, out var entries) && entries.Any(e => e.Role == role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entry of the role on the type, or a base type, whose member is named <paramref name="memberName"/>.</summary>
    public TrustEntry? FindOn(ITypeSymbol? type, string memberName, TrustRole role)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        foreach (var candidate in Hierarchy(named))
        {
            if (byType.TryGetValue(candidate.OriginalDefinition, out var entries)
                && entries.FirstOrDefault(e => e.Role == role && e.Member == memberName) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The resolved types of the entries of a role.</summary>
    public IEnumerable<INamedTypeSymbol> TypesOf(TrustRole role) =>
        byType.Where(pair => pair.Value.Any(e => e.Role == role)).Select(pair => pair.Key);

    private TrustEntry? Match(INamedTypeSymbol type, ISymbol member, TrustRole role)
    {
        if (byType.TryGetValue(type.OriginalDefinition, out var entries))
        {
            foreach (var entry in entries)
            {
                if (entry.Role == role && entry.Names(member))
                {
                    return entry;
                }
            }
        }

        return null;
    }

    private IEnumerable<INamedTypeSymbol> Hierarchy(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }

        if (hasInterfaces)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                yield return implemented;
            }
        }
    }
}
