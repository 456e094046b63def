using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
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
    /// a record with fewer proven fields is then reported at the call. Cached per compilation; recursion adds nothing.
    /// </summary>
    internal sealed class HelperDemands
    {
        private const int MaxOperations = 3000;

        private readonly Compilation compilation;
        private readonly MethodSummaries summaries;
        private readonly ConcurrentDictionary<IMethodSymbol, Lazy<ImmutableDictionary<int, Demand>>> cache = new(SymbolEqualityComparer.Default);

        [ThreadStatic]
        private static HashSet<IMethodSymbol>? inProgress;

        public HelperDemands(Compilation compilation, MethodSummaries summaries)
        {
            this.compilation = compilation;
            this.summaries = summaries;
        }

        public Demand? Of(IMethodSymbol method, IParameterSymbol? parameter)
        {
            method = method.OriginalDefinition;
            if (parameter is null || !IsRecordType(parameter.Type) || Annotations.IsUntrustedParameter(parameter)
                || method.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
                || method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract || method.IsExtern
                || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
            {
                // An untrusted parameter is checked inside the helper itself.
                return null;
            }

            inProgress ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            if (inProgress.Contains(method))
            {
                return null;
            }

            var demands = cache.GetOrAdd(method, m => new Lazy<ImmutableDictionary<int, Demand>>(() => Compute(m), LazyThreadSafetyMode.PublicationOnly)).Value;
            return demands.TryGetValue(parameter.Ordinal, out var demand) ? demand : null;
        }

        private ImmutableDictionary<int, Demand> Compute(IMethodSymbol method)
        {
            var none = ImmutableDictionary<int, Demand>.Empty;
            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
            if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                return none;
            }

#pragma warning disable RS1030 // Computed once per helper and compilation, for calls from other trees.
            var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
            if (body is not IMethodBodyOperation methodBody || body.Descendants().Skip(MaxOperations).Any())
            {
                return none;
            }

            var entry = FlowState.Empty;
            foreach (var parameter in method.Parameters.Where(p => IsRecordType(p.Type)))
            {
                entry = entry.Assign(parameter, ValueFact.Source($"parameter '{parameter.Name}'", null, null));
            }

            var found = new Dictionary<int, Demand>();
            inProgress!.Add(method);
            try
            {
                var graph = ControlFlowGraph.Create(methodBody);
                var context = new FlowContext(summaries.Options, summaries, CancellationToken.None);
                FlowEngine.Run(graph, entry, context, (operation, state) => Collect(operation, state, context, found));
            }
            finally
            {
                inProgress.Remove(method);
            }

            return found.ToImmutableDictionary();
        }

        /// <summary>Records the reads (and the calls to further helpers) that need more fields of a parameter than are proven.</summary>
        private void Collect(IOperation operation, FlowState state, FlowContext context, Dictionary<int, Demand> found)
        {
            if (ConstantRead(operation) is var (record, index))
            {
                Need(record, index == int.MaxValue ? index : index + 1, operation, state, context, found);
            }
            else if (operation is IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (Of(invocation.TargetMethod, argument.Parameter) is { } inner)
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
    }
}
