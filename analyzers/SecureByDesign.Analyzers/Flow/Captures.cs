using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The temporaries of the control flow graph. <c>switch (kind)</c>, <c>x ?? y</c> and <c>a?.B</c> evaluate a value into a
/// flow capture and test the capture, so what a test proves lands on the capture. The capture's syntax is still the
/// expression it holds, which the semantic model turns back into the operation (a conditional access, say). A test of a
/// capture of tracked storage refines that storage too: see <see cref="FlowContext.Resolve"/>.
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
}
