using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// The wiring a rule on the flow engine shares with the others: options and summaries once per compilation,
/// then every method body through <see cref="FlowDriver"/>, which calls back with the facts at each operation.
/// A rule names the operations it inspects (<c>relevant</c>): a body with none of them gets no graph at all, so a
/// rule about parsing costs nothing in the many methods that read content but parse nothing.
/// </summary>
internal static class FlowRules
{
    public static void Register(CompilationStartAnalysisContext start, Func<IOperation, bool> relevant, Action<Action<Diagnostic>, IOperation, FlowState, FlowContext> inspect) =>
        Register(start, MethodSummaries.For(start.Compilation, start.Options), relevant, inspect);

    /// <summary>The same, with summaries the rule also uses itself.</summary>
    public static void Register(CompilationStartAnalysisContext start, MethodSummaries summaries, Func<IOperation, bool> relevant, Action<Action<Diagnostic>, IOperation, FlowState, FlowContext> inspect)
    {
        start.RegisterOperationBlockAction(block =>
            FlowDriver.Analyze(block, summaries, _ => false, (operation, state, flow) => inspect(block.ReportDiagnostic, operation, state, flow), relevant));
    }

    /// <summary>The fact of <paramref name="value"/> when it is untrusted and not a constant, otherwise null.</summary>
    public static ValueFact? Untrusted(IOperation? value, FlowState state, FlowContext flow)
    {
        if (value is null || value.ConstantValue.HasValue)
        {
            return null;
        }

        var fact = Evaluator.Eval(value, state, flow);
        return fact.Untrusted ? fact : null;
    }
}
