using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The temporaries of the control flow graph. <c>switch (kind)</c>, <c>x ?? y</c> and <c>a?.B</c> evaluate a value into a
/// flow capture and test the capture, so what a test proves lands on the capture. The capture's syntax is still the
/// expression it holds, which the semantic model turns back into the operation, and when that is a local or a
/// parameter, what the test proved about the capture holds for it too: nothing assigns it between the two.
/// </summary>
internal static class Captures
{
    /// <summary>The operation a flow capture holds the value of, as the semantic model sees it, or null.</summary>
    public static IOperation? Original(IFlowCaptureReferenceOperation capture, FlowContext context)
    {
        if (context.Compilation is not { } compilation || !compilation.ContainsSyntaxTree(capture.Syntax.SyntaxTree))
        {
            return null;
        }

        var original = compilation.GetSemanticModel(capture.Syntax.SyntaxTree).GetOperation(capture.Syntax);
        return original is IFlowCaptureReferenceOperation ? null : original;
    }

    /// <summary>
    /// After a branch's condition refined a capture of an untrusted local or parameter (<c>case Kind.File:</c> on the
    /// capture of <c>switch (kind)</c>), narrows the local's range to the capture's.
    /// </summary>
    public static FlowState Refined(IOperation condition, FlowState state, FlowContext context)
    {
        var capture = condition.WalkDownConversions() switch
        {
            IBinaryOperation binary => (binary.LeftOperand.WalkDownConversions() as IFlowCaptureReferenceOperation) ?? (binary.RightOperand.WalkDownConversions() as IFlowCaptureReferenceOperation),
            IIsPatternOperation pattern => pattern.Value.WalkDownConversions() as IFlowCaptureReferenceOperation,
            _ => null,
        };
        if (capture is null || state[capture.Id] is not { Untrusted: true } captured || (captured.Lower is null && captured.Upper is null))
        {
            return state;
        }

        if (Original(capture, context) is not (ILocalReferenceOperation or IParameterReferenceOperation) || FlowKey.Of(Original(capture, context)) is not { } alias || state[alias] is not { } known)
        {
            return state;
        }

        var narrowed = known;
        narrowed = captured.Lower is { } lower ? narrowed.WithLower(lower) : narrowed;
        narrowed = captured.Upper is { } upper ? narrowed.WithUpper(upper) : narrowed;
        return narrowed.Equals(known) ? state : state.Refine(alias, narrowed);
    }
}
