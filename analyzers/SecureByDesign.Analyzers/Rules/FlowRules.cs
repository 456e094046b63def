using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// The wiring a rule on the flow engine shares with the others: every method body through the one shared pass of
/// <see cref="CompilationFlow"/>, which calls back with the facts at each operation. A rule names the operations it
/// inspects (<c>relevant</c>): a body with none of them gets no graph for it, so a rule about parsing costs nothing in
/// the many methods that read content but parse nothing.
/// </summary>
internal static class FlowRules
{
    public static void Register(CompilationStartAnalysisContext start, string family, Func<IOperation, bool> relevant, Action<Action<Diagnostic>, IOperation, FlowState, FlowContext> inspect, bool relatesTests = false) =>
        CompilationFlow.Register(start, new FlowFamily(family, relevant, null, report => (operation, state, flow) => inspect(report, operation, state, flow)) { RelatesTests = relatesTests });

    /// <summary>The same, for a family that keeps state per method or finds some operations interesting without a source in sight.</summary>
    public static void Register(CompilationStartAnalysisContext start, FlowFamily family) => CompilationFlow.Register(start, family);

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
