using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3002: a discarded verification becomes <c>if (!verify(...)) throw new SecurityException(...)</c>;
/// <c>CheckSignature(true)</c> becomes <c>CheckSignature(false)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VerificationResultFixer))]
public sealed class VerificationResultFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.VerificationResultIgnored);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => Shape(diagnostic) switch
    {
        "discarded" when Statement(Call(diagnostic, root)) is not null => "Reject the content when verification fails",
        "signature-only" when Call(diagnostic, root) is not null => "Check the signer's chain as well",
        _ => null,
    };

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Call(diagnostic, editor.OriginalRoot) is not { } call || !done.Add(call))
        {
            return;
        }

        if (Shape(diagnostic) == "signature-only")
        {
            var flag = call.ArgumentList.Arguments.Last(a => a.Expression.IsKind(SyntaxKind.TrueLiteralExpression));
            editor.ReplaceNode(flag.Expression, SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression));
            return;
        }

        if (Statement(call) is not { } statement)
        {
            return;
        }

        var generator = editor.Generator;
        var check = Rejection(generator, editor.SemanticModel.Compilation, generator.LogicalNotExpression(call.WithoutTrivia()), Security, generator.LiteralExpression("Signature verification failed."));
        editor.ReplaceNode(statement, check.WithTriviaFrom(statement));
    }

    /// <summary>The statement that discards the call: <c>verify(...);</c> or <c>_ = verify(...);</c>.</summary>
    private static ExpressionStatementSyntax? Statement(InvocationExpressionSyntax? call) => call?.Parent switch
    {
        ExpressionStatementSyntax statement => statement,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement } => statement,
        _ => null,
    };

    private static string? Shape(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(VerificationResultAnalyzer.ShapeKey, out var shape) ? shape : null;

    private static InvocationExpressionSyntax? Call(Diagnostic diagnostic, SyntaxNode root) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as InvocationExpressionSyntax;
}
