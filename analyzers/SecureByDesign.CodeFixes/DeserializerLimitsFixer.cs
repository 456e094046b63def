using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1010: replaces the value that turned a limit off with a bound: <c>MaxDepth = 64</c>, <c>MaxCharactersFromEntities = 10_000_000</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeserializerLimitsFixer))]
public sealed class DeserializerLimitsFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.DeserializerLimitOff);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.TryGetValue(DeserializerLimitsAnalyzer.BoundKey, out var bound) && bound is not null
            ? $"Set the limit to {bound}"
            : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is not ExpressionSyntax value || !done.Add(value))
        {
            return;
        }

        var bound = SyntaxFactory.ParseExpression(diagnostic.Properties[DeserializerLimitsAnalyzer.BoundKey]!);
        editor.ReplaceNode(value, bound.WithTriviaFrom(value));
    }
}
