using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Which parameter of a helper a value in its body is computed from, by the engine: the helper is solved as if each of its
/// parameters (passed by value, and not untrusted already) were untrusted, each with an origin of its own, and the value's origin at that point names the one it
/// carries. So a name decoded, parsed and read out of what the helper was given (<c>Convert.FromBase64String(text)</c>, then
/// <c>Encoding.UTF8.GetString</c>, a JSON parse, a member of the parsed document) is that parameter's, as the engine follows
/// content in any method; and one the helper checked on the way (an allow list on the branch taken) or took from its own
/// table is none. Each (helper, value) is solved once per compilation; a helper past the engine's budget gives none.
/// </summary>
internal static class DerivedParameters
{
    private static readonly ConditionalWeakTable<MethodSummaries, ConcurrentDictionary<(IMethodSymbol, SyntaxNode), StrongBox<IParameterSymbol?>>> Cache = new();

    /// <summary>The parameter of <paramref name="method"/> whose content <paramref name="value"/>, in its body, carries; null when none does.</summary>
    public static IParameterSymbol? Of(IMethodSymbol method, IOperation value, MethodSummaries summaries, CancellationToken cancellationToken) =>
        Cache.GetValue(summaries, _ => new(SymbolKeyComparer.Instance))
            .GetOrAdd((method.OriginalDefinition, value.Syntax), _ => new StrongBox<IParameterSymbol?>(Solve(method.OriginalDefinition, value.Syntax, summaries, cancellationToken)))
            .Value;

    private static IParameterSymbol? Solve(IMethodSymbol method, SyntaxNode value, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var candidates = method.Parameters.Where(p => p.RefKind == RefKind.None && !Trust.Annotations.IsUntrustedParameter(p)).ToList();
        if (candidates.Count == 0 || summaries.Body(method, cancellationToken) is not IMethodBodyOperation body)
        {
            return null;
        }

        var entry = FlowState.Empty;
        var origins = new Dictionary<string, IParameterSymbol>(StringComparer.Ordinal);
        foreach (var parameter in candidates)
        {
            var fact = Evaluator.ParameterSource(parameter);
            origins[fact.Origin!] = parameter;
            entry = entry.Assign(parameter, fact);
        }

        IParameterSymbol? found = null;
        var context = new FlowContext(summaries.OptionsOf(method), summaries, cancellationToken) { Compilation = summaries.Compilation };
        var solved = FlowDriver.Run(body, entry, context, (operation, state) =>
        {
            if (found is null && operation.Syntax == value
                && Evaluator.Eval(operation, state, context) is { Untrusted: true, Origin: { } origin }
                && origins.TryGetValue(origin, out var parameter))
            {
                found = parameter;
            }
        });
        return solved ? found : null;
    }

    private sealed class SymbolKeyComparer : IEqualityComparer<(IMethodSymbol Method, SyntaxNode Value)>
    {
        public static readonly SymbolKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, SyntaxNode Value) x, (IMethodSymbol Method, SyntaxNode Value) y) =>
            x.Value == y.Value && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, SyntaxNode Value) key) => key.Value.GetHashCode();
    }
}
