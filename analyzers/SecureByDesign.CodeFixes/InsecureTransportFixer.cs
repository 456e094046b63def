using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3006: rewrites the literal the address starts from, <c>http://</c> to <c>https://</c> and <c>ws://</c> to
/// <c>wss://</c>, keeping the literal's form (verbatim, raw). ftp:// has no automatic fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsecureTransportFixer))]
public sealed class InsecureTransportFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InsecureTransport);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        Literal(diagnostic, root) is not null ? "Use " + diagnostic.Properties[InsecureTransportAnalyzer.SecureSchemeKey] : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Literal(diagnostic, editor.OriginalRoot) is not { } literal || !done.Add(literal))
        {
            return;
        }

        var plain = diagnostic.Properties[InsecureTransportAnalyzer.PlainSchemeKey]!;
        var secure = diagnostic.Properties[InsecureTransportAnalyzer.SecureSchemeKey]!;
        var token = literal.Token;
        var text = Replace(token.Text, plain, secure);
        var value = Replace(token.ValueText, plain, secure);
        var replaced = SyntaxFactory.Token(token.LeadingTrivia, token.Kind(), text, value, token.TrailingTrivia);
        editor.ReplaceNode(literal, literal.WithToken(replaced));
    }

    private static string Replace(string text, string plain, string secure)
    {
        var start = text.IndexOf(plain, StringComparison.OrdinalIgnoreCase);
        return text.Substring(0, start) + secure + text.Substring(start + plain.Length);
    }

    /// <summary>The literal named by a fixable diagnostic, when it is in this document.</summary>
    private static LiteralExpressionSyntax? Literal(Diagnostic diagnostic, SyntaxNode root)
    {
        if (!diagnostic.Properties.TryGetValue(InsecureTransportAnalyzer.PlainSchemeKey, out var plain)
            || plain is null
            || diagnostic.AdditionalLocations.Count == 0
            || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree)
        {
            return null;
        }

        return root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is LiteralExpressionSyntax literal
            && literal.IsKind(SyntaxKind.StringLiteralExpression)
            && literal.Token.ValueText.TrimStart().StartsWith(plain, StringComparison.OrdinalIgnoreCase)
            && literal.Token.Text.IndexOf(plain, StringComparison.OrdinalIgnoreCase) >= 0
            ? literal
            : null;
    }
}
