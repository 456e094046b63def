using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>SBD3006: rewrites the <c>http://</c> literal the address starts from to <c>https://</c>. ftp:// has no automatic fix.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsecureTransportFixer)), Shared]
public sealed class InsecureTransportFixer : DocumentFixer
{
    private const string Http = "http://";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InsecureTransport);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        Literal(diagnostic, root) is not null ? "Use https://" : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<SyntaxNode> done, CancellationToken cancellationToken)
    {
        if (Literal(diagnostic, editor.OriginalRoot) is { } literal && done.Add(literal))
        {
            var text = literal.Token.ValueText;
            var start = text.IndexOf(Http, StringComparison.OrdinalIgnoreCase);
            var secure = text.Substring(0, start) + "https://" + text.Substring(start + Http.Length);
            editor.ReplaceNode(literal, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(secure)).WithTriviaFrom(literal));
        }
    }

    /// <summary>The http:// literal named by the diagnostic, when it is in this document.</summary>
    private static LiteralExpressionSyntax? Literal(Diagnostic diagnostic, SyntaxNode root)
    {
        if (diagnostic.AdditionalLocations.Count == 0 || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree)
        {
            return null;
        }

        return root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is LiteralExpressionSyntax literal
            && literal.IsKind(SyntaxKind.StringLiteralExpression)
            && literal.Token.ValueText.TrimStart().StartsWith(Http, StringComparison.OrdinalIgnoreCase)
            ? literal
            : null;
    }
}
