using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

public sealed partial class FieldCountAnalyzer
{
    /// <summary>A helper reads its record parameter up to field <c>Count - 1</c> without checking (first such read at <c>Line</c>).</summary>
    internal sealed record Demand(int Count, int Line);

    /// <summary>
    /// What the private and internal helpers of the compilation read of their record parameters without a check:
    /// each helper is analyzed once, on the engine, as if every record parameter were untrusted; a call that hands it
    /// a record with fewer proven fields is then reported at the call. Cached per compilation; helpers that call each other are solved together (<see cref="CallGraphFacts{T}"/>).
    /// </summary>
    internal sealed class HelperDemands
    {
        private static readonly ImmutableDictionary<int, Demand> None = ImmutableDictionary<int, Demand>.Empty;

        private readonly MethodSummaries summaries;
        private readonly CallGraphFacts<ImmutableDictionary<int, Demand>> facts;

        public HelperDemands(MethodSummaries summaries)
        {
            this.summaries = summaries;
            facts = new CallGraphFacts<ImmutableDictionary<int, Demand>>(summaries.Solver, 2, Body, (_, body) => body.CalledMethods(), Compute, None, DemandsComparer.Instance);
        }

        public Demand? Of(IMethodSymbol method, IParameterSymbol? parameter, CancellationToken cancellationToken) =>
            Of(method, parameter, m => facts.Get(m, cancellationToken));

        private static Demand? Of(IMethodSymbol method, IParameterSymbol? parameter, Func<IMethodSymbol, ImmutableDictionary<int, Demand>?> demandsOf)
        {
            // An untrusted parameter is checked inside the helper itself.
            if (parameter is null || !IsRecordType(parameter.Type) || Annotations.IsUntrustedParameter(parameter) || !IsHelper(method))
            {
                return null;
            }

            return demandsOf(method.OriginalDefinition) is { } demands && demands.TryGetValue(parameter.Ordinal, out var demand) ? demand : null;
        }

        private static bool IsHelper(IMethodSymbol method) =>
            method.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal
            && method.Parameters.Any(p => IsRecordType(p.Type));

        private IOperation? Body(IMethodSymbol method, CancellationToken cancellationToken) =>
            IsHelper(method) && summaries.Body(method, cancellationToken) is IMethodBodyOperation body ? body : null;

        private ImmutableDictionary<int, Demand> Compute(IMethodSymbol method, IOperation body, Func<IMethodSymbol, ImmutableDictionary<int, Demand>?> demandsOf, CancellationToken cancellationToken)
        {
            var entry = FlowState.Empty;
            foreach (var parameter in method.Parameters.Where(p => IsRecordType(p.Type)))
            {
                entry = entry.Assign(parameter, ValueFact.Source($"parameter '{parameter.Name}'", null, null));
            }

            var found = new Dictionary<int, Demand>();
            var context = new FlowContext(summaries.OptionsOf(method), summaries, cancellationToken);
            FlowDriver.Run((IMethodBodyOperation)body, entry, context, (operation, state) => Collect(operation, state, context, found, demandsOf));
            return found.ToImmutableDictionary();
        }

        /// <summary>Records the reads (and the calls to further helpers) that need more fields of a parameter than are proven.</summary>
        private static void Collect(IOperation operation, FlowState state, FlowContext context, Dictionary<int, Demand> found, Func<IMethodSymbol, ImmutableDictionary<int, Demand>?> demandsOf)
        {
            if (ConstantRead(operation) is var (record, index))
            {
                Need(record, index == int.MaxValue ? index : index + 1, operation, state, context, found);
            }
            else if (operation is IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (Of(invocation.TargetMethod, argument.Parameter, demandsOf) is { } inner)
                    {
                        Need(argument.Value, inner.Count, operation, state, context, found);
                    }
                }
            }
        }

        private static void Need(IOperation record, int count, IOperation at, FlowState state, FlowContext context, Dictionary<int, Demand> found)
        {
            if (record.WalkDownConversions() is not IParameterReferenceOperation parameter
                || Fewest(record, Evaluator.Eval(record, state, context), state) >= count)
            {
                return;
            }

            var ordinal = parameter.Parameter.Ordinal;
            // The line named is that of the read that needs the most fields (the first of them, when several do).
            var line = at.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            if (!found.TryGetValue(ordinal, out var known) || known.Count < count || (known.Count == count && line < known.Line))
            {
                found[ordinal] = new Demand(count, line);
            }
        }

        private sealed class DemandsComparer : IEqualityComparer<ImmutableDictionary<int, Demand>>
        {
            public static readonly DemandsComparer Instance = new();

            public bool Equals(ImmutableDictionary<int, Demand>? x, ImmutableDictionary<int, Demand>? y) =>
                x is not null && y is not null && x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && other == p.Value);

            public int GetHashCode(ImmutableDictionary<int, Demand> obj) => obj.Count;
        }
    }
}
