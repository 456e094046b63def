using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3005: a verification inside <c>try</c> whose <c>catch</c> lets execution go on past the failed check (its end is
/// reachable and it records no failure) or returns <c>true</c>; and a verification skipped where its signature is
/// missing or empty (<see cref="AnalyzeAbsence"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class FailOpenVerificationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.FailOpenVerification);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (!Verification.MayAppear(start.Compilation, start.Options, start.CancellationToken))
            {
                return;
            }

            var trust = TrustModel.For(start.Compilation);
            start.RegisterOperationAction(c => Analyze(c, trust), OperationKind.Try);
            start.RegisterOperationAction(c => AnalyzeAbsence(c, trust), OperationKind.MethodBody);
        });
    }

    private static void Analyze(OperationAnalysisContext context, TrustModel trust)
    {
        var attempt = (ITryOperation)context.Operation;
        var options = TrustOptions.For(context.Options, attempt.Syntax.SyntaxTree);
        var optionsOf = TrustOptions.OfTrees(context.Options, context.Compilation);
        var verification = attempt.Body.Descendants()
            .OfType<IInvocationOperation>()
            .FirstOrDefault(i => i.FindOwner() == attempt.FindOwner() && IsVerification(i, trust, options, optionsOf));
        if (verification is null)
        {
            return;
        }

        foreach (var handler in attempt.Catches)
        {
            if (handler.Syntax is not CatchClauseSyntax { Block: { } block } clause)
            {
                continue;
            }

            string? how = null;
            if (block.DescendantNodes().OfType<ReturnStatementSyntax>().Any(r => r.Expression.IsKind(SyntaxKind.TrueLiteralExpression)))
            {
                how = "returns true";
            }
            else if (EndReachable(block, context.Operation.SemanticModel) && !RecordsFailure(block) && !RejectsAfter(attempt) && !AppliesOnlyInside(attempt, verification, trust))
            {
                how = "lets execution go on past the failed check";
            }

            if (how is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.FailOpenVerification,
                    clause.CatchKeyword.GetLocation(),
                    $"The catch clause around {verification.TargetMethod.ContainingType?.Name}.{verification.TargetMethod.Name} {how}",
                    "a failed verification must reject the content"));
            }
        }
    }

    /// <summary>Any check of the catalog, whatever it is given (a signature-only CheckSignature too), annotated or configured.</summary>
    private static bool IsVerification(IInvocationOperation invocation, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf) =>
        Verification.KindOf(invocation, trust, options, optionsOf) != Verification.Kind.None
        || trust.Find(invocation.TargetMethod, TrustRole.Verifier) is not null
        || trust.Find(invocation.TargetMethod, TrustRole.Verdict) is not null;

    private static bool EndReachable(BlockSyntax block, SemanticModel? model)
    {
        if (block.Statements.Count == 0)
        {
            return true;
        }

        var flow = model?.AnalyzeControlFlow(block.Statements.First(), block.Statements.Last());
        return flow is null || !flow.Succeeded || flow.EndPointIsReachable;
    }

    /// <summary>
    /// The statement right after the <c>try</c> rejects: <c>try { return Verify(...); } catch (CryptographicException) { }
    /// return false;</c> fails closed, as does a <c>throw</c> there.
    /// </summary>
    private static bool RejectsAfter(ITryOperation attempt) =>
        attempt.Syntax is TryStatementSyntax { Parent: BlockSyntax block } statement
        && block.Statements.IndexOf(statement) is var index && index + 1 < block.Statements.Count
        && block.Statements[index + 1] switch
        {
            ThrowStatementSyntax => true,
            ReturnStatementSyntax { Expression: { } value } => value.IsKind(SyntaxKind.FalseLiteralExpression) || value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression),
            _ => false,
        };

    /// <summary>
    /// The content is used only inside the <c>try</c>, after the check, and the <c>try</c> ends a method that returns nothing:
    /// <c>try { if (!Verify(path)) return; Process.Start(path); } catch (Exception e) { Log(e); }</c>. A failure skips the
    /// use and leaves the method with nothing to report success, so the handler does not let the content through. A
    /// wrapper that swallows the failure of the check itself (<c>try { Check(path); } catch { }</c>) uses nothing after it
    /// and stays flagged.
    /// </summary>
    private static bool AppliesOnlyInside(ITryOperation attempt, IInvocationOperation verification, TrustModel trust)
    {
        if (attempt.Syntax is not TryStatementSyntax { Parent: BlockSyntax { Parent: BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax } body } statement
            || body.Statements.Last() != statement
            || body.Parent is null || attempt.SemanticModel?.GetDeclaredSymbol(body.Parent) is not IMethodSymbol method
            || !(method.ReturnsVoid || method.ReturnType.Name is "Task" or "ValueTask" && method.ReturnType is INamedTypeSymbol { IsGenericType: false }))
        {
            return false;
        }

        var data = Verification.Verified(verification, trust, attempt.SemanticModel);
        return attempt.Body.Descendants().Any(o => o.Syntax.SpanStart > verification.Syntax.Span.End
            && o is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
            && FlowKey.Of(o) is { } key && data.Contains(key));
    }

    /// <summary>A handler that sets a flag to false (<c>valid = false;</c>) records the failure for a later test.</summary>
    private static bool RecordsFailure(BlockSyntax block) =>
        block.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.IsKind(SyntaxKind.SimpleAssignmentExpression) && a.Right.IsKind(SyntaxKind.FalseLiteralExpression));
}
