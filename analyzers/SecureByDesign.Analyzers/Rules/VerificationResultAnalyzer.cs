using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3002: a verification that reports failure by returning false, whose result is discarded or stored and never
/// read (VerifyData, VerifyHash, X509Chain.Build, update verifiers); and SignedCms.CheckSignature(true), which checks
/// the signature alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VerificationResultAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property for the fixer: "discarded" (wrap in a check) or "signature-only" (pass false).</summary>
    public const string ShapeKey = "Shape";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.VerificationResultIgnored);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var trust = TrustModel.For(start.Compilation);
            start.RegisterOperationAction(c => Analyze(c, trust), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, TrustModel trust)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var verifier = trust.Find(method, TrustRole.Verifier);
        if (verifier?.Data == TrustEntry.Receiver
            && invocation.Arguments.Argument("verifySignatureOnly")?.Value.ConstantValue is { HasValue: true, Value: true })
        {
            Report(context, invocation, "signature-only", "checks the signature alone, not that the signer chains to a publisher the agent trusts", "pass false, with the publisher's root in the extra store or the system store");
            return;
        }

        var returnsVerdict = trust.Find(method, TrustRole.Verdict) is not null
            || Verification.KindOf(invocation, trust, TrustOptions.For(context.Options, invocation.Syntax.SyntaxTree), TrustOptions.OfTrees(context.Options, context.Compilation)) == Verification.Kind.ReturnsResult;
        if (!returnsVerdict)
        {
            return;
        }

        var parent = invocation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IExpressionStatementOperation:
                Report(context, invocation, "discarded", "returns false on failure, and the result is discarded", "test it and reject the content when it is false");
                break;
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                Report(context, invocation, "discarded", "returns false on failure, and the result is discarded", "test it and reject the content when it is false");
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } when !IsRead(local.Local, invocation):
                Report(context, invocation, "assigned", $"returns false on failure, and the result is stored in '{local.Local.Name}' and never read", "test it and reject the content when it is false");
                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !IsRead(declarator.Symbol, invocation):
                Report(context, invocation, "assigned", $"returns false on failure, and the result is stored in '{declarator.Symbol.Name}' and never read", "test it and reject the content when it is false");
                break;
        }
    }

    private static bool IsRead(ILocalSymbol local, IOperation within) =>
        within.Root().Descendants().OfType<ILocalReferenceOperation>().Any(r =>
            SymbolEqualityComparer.Default.Equals(r.Local, local) && !(r.Parent is ISimpleAssignmentOperation assignment && assignment.Target == r));

    private static void Report(OperationAnalysisContext context, IInvocationOperation invocation, string shape, string what, string advice) =>
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.VerificationResultIgnored,
            invocation.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(ShapeKey, shape),
            $"{invocation.TargetMethod.ContainingType?.Name}.{invocation.TargetMethod.Name}",
            what,
            advice));
}
