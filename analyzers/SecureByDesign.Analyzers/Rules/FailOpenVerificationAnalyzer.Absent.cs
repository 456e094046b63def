using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3005, absence: a test that the signature a method verifies is missing or empty, whose branch reaches the apply
/// (a call given the verified data, or a catalogued sink) or <c>return true</c> without reaching a verification:
/// <c>if (signature == null || signature.Length == 0) return true;</c>, <c>if (sig != null) { Verify(...); } Install(package);</c>.
/// </summary>
public sealed partial class FailOpenVerificationAnalyzer
{
    private const string SkippedAdvice = "a missing or empty signature must reject the content";

    private static void AnalyzeAbsence(OperationAnalysisContext context, TrustModel trust)
    {
        var body = context.Operation;
        var options = TrustOptions.For(context.Options, body.Syntax.SyntaxTree);
        var optionsOf = TrustOptions.OfTrees(context.Options, context.Compilation);
        var model = body.SemanticModel;
        var verifications = body.Descendants()
            .OfType<IInvocationOperation>()
            .Where(i => i.FindOwner() == body.FindOwner() && IsVerification(i, trust, options, optionsOf))
            .ToList();
        var signed = verifications.Select(v => (Call: v, Signature: Verification.SignatureValues(v, model))).Where(v => !v.Signature.IsEmpty).ToList();
        if (signed.Count == 0)
        {
            return;
        }

        // The data verified, not the signature an [UpdateVerifier] method is given beside it.
        var signatures = signed.SelectMany(s => s.Signature).Select(FlowKey.Of).OfType<object>().ToList();
        var data = verifications.SelectMany(v => Verification.Verified(v, trust, model)).Where(k => !signatures.Contains(k, FlowKey.Comparer)).ToList();
        var graph = context.GetControlFlowGraph();
        var reported = new HashSet<SyntaxNode>();
        foreach (var block in graph.Blocks)
        {
            if (block.BranchValue is not { } test || block.ConditionKind == ControlFlowConditionKind.None
                || !Absence.IsTest(test, out var subject, out var absentWhenTrue)
                || signed.FirstOrDefault(s => s.Signature.Any(value => Verification.SameValue(value, subject))) is not { Call: { } verification })
            {
                continue;
            }

            var absent = (block.ConditionKind == ControlFlowConditionKind.WhenTrue) == absentWhenTrue ? block.ConditionalSuccessor : block.FallThroughSuccessor;
            var condition = TopCondition(test.Syntax, model);
            if (absent?.Destination is not { } start || reported.Contains(condition)
                || Reached(start, context, trust, options, data) is not { } reached)
            {
                continue;
            }

            reported.Add(condition);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.FailOpenVerification,
                condition.GetLocation(),
                $"The signature '{subject.Describe()}' is tested by '{Operations.Shorten(condition.ToString())}', and where it is missing or empty the method skips {verification.TargetMethod.ContainingType?.Name}.{verification.TargetMethod.Name} and {reached}",
                SkippedAdvice));
        }
    }

    /// <summary>
    /// What a path from <paramref name="start"/> that reaches no verification comes to first: an apply of the verified data
    /// (or a catalogued sink) or <c>return true</c> from a method that returns bool; null when every such path rejects.
    /// </summary>
    private static string? Reached(BasicBlock start, OperationAnalysisContext context, TrustModel trust, TrustOptions options, List<object> data)
    {
        var returnsBool = context.ContainingSymbol is IMethodSymbol method && ReturnsBool(method.ReturnType);
        var optionsOf = TrustOptions.OfTrees(context.Options, context.Compilation);
        var trueCaptures = new HashSet<CaptureId>();
        var seen = new HashSet<int>();
        var pending = new Stack<BasicBlock>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var block = pending.Pop();
            if (!seen.Add(block.Ordinal))
            {
                continue;
            }

            var verified = false;
            foreach (var operation in block.Operations.Append(block.BranchValue))
            {
                if (operation is null)
                {
                    continue;
                }

                var calls = operation.DescendantsAndSelf().OfType<IInvocationOperation>().ToList();
                if (calls.Any(c => IsVerification(c, trust, options, optionsOf)))
                {
                    verified = true;
                    break;
                }

                if (calls.FirstOrDefault(c => IsApply(c, trust, data)) is { } apply)
                {
                    return $"reaches '{apply.Describe()}'";
                }

                if (operation is IFlowCaptureOperation { Value.ConstantValue: { HasValue: true, Value: true } } capture)
                {
                    // return signature == null || Verify(...): the graph captures true, then returns the capture.
                    trueCaptures.Add(capture.Id);
                }
            }

            if (verified)
            {
                continue;
            }

            if (returnsBool && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && block.BranchValue?.WalkDownConversions() is { } returned
                && (returned.ConstantValue is { HasValue: true, Value: true } || returned is IFlowCaptureReferenceOperation reference && trueCaptures.Contains(reference.Id)))
            {
                return "returns true";
            }

            foreach (var next in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (next?.Destination is { } destination && next.Semantics is ControlFlowBranchSemantics.Regular)
                {
                    pending.Push(destination);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A call given the data the method verifies (<c>Install(package)</c>, <c>File.WriteAllBytes(target, package)</c>), or a
    /// catalogued sink that copies, extracts, loads or runs a file (a write of other data, a log line, is not an apply).
    /// </summary>
    private static bool IsApply(IInvocationOperation call, TrustModel trust, List<object> data)
    {
        var method = call.TargetMethod;
        if (trust.Find(method, TrustRole.CopyFile) is not null || trust.Find(method, TrustRole.Extract) is not null || trust.Find(method, TrustRole.Load) is not null || trust.Find(method, TrustRole.Run) is not null)
        {
            return true;
        }

        return call.Arguments.Any(a => FlowKey.Of(a.Value) is { } key && data.Contains(key, FlowKey.Comparer));
    }

    private static bool ReturnsBool(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Boolean
        || type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } generic && generic.TypeArguments[0].SpecialType == SpecialType.System_Boolean;

    /// <summary>
    /// The whole test a condition is part of: <c>signature == null || signature.Length == 0</c> for either half, not the
    /// verification joined to it (<c>signature is null || Verify(...)</c>).
    /// </summary>
    private static SyntaxNode TopCondition(SyntaxNode test, SemanticModel? model)
    {
        while (test.Parent is ParenthesizedExpressionSyntax or PrefixUnaryExpressionSyntax
            || test.Parent is BinaryExpressionSyntax binary && (binary.IsKind(SyntaxKind.LogicalOrExpression) || binary.IsKind(SyntaxKind.LogicalAndExpression))
                && model?.GetOperation(binary.Left == test ? binary.Right : binary.Left) is { } other && Absence.IsTest(other, out _, out _))
        {
            test = test.Parent;
        }

        return test;
    }
}
