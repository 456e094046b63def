using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>The classes and structs declared in a compilation's source, listed once per compilation, and the implementations of its interface and abstract methods among them.</summary>
internal static class SourceTypes
{
    private static readonly ConditionalWeakTable<Compilation, INamedTypeSymbol[]> Instances = new();

    public static IReadOnlyList<INamedTypeSymbol> Of(Compilation compilation) => Instances.GetValue(compilation, c =>
    {
        var all = new List<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(c.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol inner)
                {
                    pending.Push(inner);
                }

                if (member is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type && type.Locations.Any(l => l.IsInSource))
                {
                    all.Add(type);
                }
            }
        }

        return all.ToArray();
    });

    /// <summary>
    /// The methods of the compilation's classes and structs that implement an interface method or override an abstract
    /// one (with <paramref name="overrides"/>, a virtual one too).
    /// </summary>
    public static IEnumerable<IMethodSymbol> Implementations(IMethodSymbol method, Compilation compilation, bool overrides = false)
    {
        method = method.OriginalDefinition;
        if (method.ContainingType is not { } owner || !(owner.TypeKind == TypeKind.Interface || method.IsAbstract || (overrides && method.IsVirtual)))
        {
            yield break;
        }

        foreach (var type in Of(compilation))
        {
            if (owner.TypeKind == TypeKind.Interface)
            {
                if (type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, owner))
                    && type.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation
                    && !implementation.IsAbstract)
                {
                    yield return implementation;
                }

                continue;
            }

            foreach (var candidate in type.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
                    {
                        yield return candidate;
                        break;
                    }
                }
            }
        }
    }
}
