using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A resolution the library has turned off by default: it is in a type (or member) marked <c>[Obsolete]</c> that no code
/// of the compilation creates (no <c>new T(...)</c> anywhere). The library no longer uses it, and a program that opts in
/// does so against the compiler's warning; that program's own scan reports the opt-in where it creates the type with
/// content flowing to it, not the library's.
/// </summary>
internal static class Retired
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<string, bool>> Created = new();

    public static bool Is(IOperation invocation, FlowContext flow)
    {
        if (flow.Model is not { } model || flow.Compilation is not { } compilation
            || model.GetEnclosingSymbol(invocation.Syntax.SpanStart, flow.CancellationToken) is not { } member)
        {
            return false;
        }

        for (var symbol = member; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (symbol.GetAttributes().Any(a => a.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace.Name: "System" }))
            {
                var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
                return type is not null && !IsCreated(type, compilation, flow.CancellationToken);
            }
        }

        return false;
    }

    /// <summary>True when some code of the compilation writes <c>new T(...)</c> of the type (by name: a conservative answer).</summary>
    private static bool IsCreated(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken) =>
        Created.GetValue(compilation, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal)).GetOrAdd(type.Name, name =>
            compilation.SyntaxTrees.Any(tree => tree.GetRoot(cancellationToken).DescendantNodes().OfType<ObjectCreationExpressionSyntax>().Any(creation => creation.Type switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
                GenericNameSyntax generic => generic.Identifier.ValueText == name,
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == name,
                _ => false,
            })));
}
