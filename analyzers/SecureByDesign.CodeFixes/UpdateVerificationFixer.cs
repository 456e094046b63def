using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3001: calls the project's update verifier (a static method marked <c>[UpdateVerifier]</c> that takes the data)
/// before the sink: <c>if (!Verifier(data)) throw new SecurityException(...)</c> for one that returns bool, or
/// <c>Verifier(data);</c> for one that throws; Fix All verifies each data once per member, before its first sink. Not offered when the project has no such method: the fix does not
/// invent a verifier, because a verifier is keys and policy that only the vendor can supply.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UpdateVerificationFixer)), Shared]
public sealed class UpdateVerificationFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnverifiedUpdate);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => null;

    protected override async Task<string?> TitleAsync(Document document, Diagnostic diagnostic, SyntaxNode root, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model is not null && Target(diagnostic, root, model) is var (_, verifier) ? $"Verify with {verifier.Name}" : null;
    }

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Target(diagnostic, editor.OriginalRoot, editor.SemanticModel) is not var (statement, verifier)
            || diagnostic.Properties[UpdateVerificationAnalyzer.DataKey] is not { } data
            || !done.Add((statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)statement, data)))
        {
            return;
        }

        var generator = editor.Generator;
        var call = generator.InvocationExpression(
            generator.MemberAccessExpression(generator.TypeExpression(verifier.ContainingType), verifier.Name),
            SyntaxFactory.ParseExpression(data));
        SyntaxNode check;
        if (verifier.ReturnType.SpecialType == SpecialType.System_Boolean)
        {
            var exception = TypeOf(generator, editor.SemanticModel.Compilation, "System.Security.SecurityException");
            check = generator.IfStatement(
                generator.LogicalNotExpression(call),
                new[] { generator.ThrowStatement(generator.ObjectCreationExpression(exception, generator.LiteralExpression($"'{data}' failed signature verification."))) });
        }
        else
        {
            check = generator.ExpressionStatement(call);
        }

        editor.InsertBefore(statement, check.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation));
    }

    /// <summary>The statement to verify before, and the project's verifier that accepts the data.</summary>
    private static (StatementSyntax Statement, IMethodSymbol Verifier)? Target(Diagnostic diagnostic, SyntaxNode root, SemanticModel model)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax data
            || !IsPlainName(data.ToString())
            || StatementInBlock(data) is not { } statement
            || model.GetTypeInfo(data).Type is not { } dataType)
        {
            return null;
        }

        var verifier = model.Compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member)
            .OfType<IMethodSymbol>()
            .Where(m => m.IsStatic && m.Parameters.Length == 1 && m.GetAttributes().Any(a => a.AttributeClass?.Name == "UpdateVerifierAttribute")
                && (m.ReturnsVoid || m.ReturnType.SpecialType == SpecialType.System_Boolean)
                && model.Compilation.ClassifyConversion(dataType, m.Parameters[0].Type).IsImplicit
                && model.IsAccessible(data.SpanStart, m))
            .OrderBy(m => m.ReturnsVoid)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return verifier is null ? null : (statement, verifier);
    }
}
