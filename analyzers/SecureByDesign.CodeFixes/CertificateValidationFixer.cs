using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3003: removes the assignment that overrides certificate validation (the platform's validation
/// comes back), and turns revocation checks back on.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CertificateValidationFixer))]
public sealed class CertificateValidationFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CertificateValidationDisabled);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.TryGetValue(CertificateValidationAnalyzer.FixKey, out var fix) ? fix switch
        {
            CertificateValidationAnalyzer.FixRemoveOverride when Removable(root, diagnostic) is not null => "Remove the certificate validation override",
            CertificateValidationAnalyzer.FixEnableRevocation => "Check certificate revocation",
            _ => null,
        }
        : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (diagnostic.Properties[CertificateValidationAnalyzer.FixKey] == CertificateValidationAnalyzer.FixEnableRevocation)
        {
            var value = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (done.Add(value))
            {
                var type = editor.SemanticModel.GetTypeInfo(value, cancellationToken).ConvertedType;
                var replacement = type?.SpecialType == SpecialType.System_Boolean
                    ? editor.Generator.TrueLiteralExpression()
                    : TypeMember(editor.Generator, editor.SemanticModel.Compilation, "System.Security.Cryptography.X509Certificates.X509RevocationMode", "Online");
                editor.ReplaceNode(value, replacement.WithTriviaFrom(value));
            }

            return;
        }

        if (Removable(editor.OriginalRoot, diagnostic) is { } removable && done.Add(removable))
        {
            editor.RemoveNode(removable);
        }
    }

    /// <summary>The statement or object-initializer entry that assigns the flagged callback, or null.</summary>
    private static SyntaxNode? Removable(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        while (node.Parent is ParenthesizedExpressionSyntax or CastExpressionSyntax or ObjectCreationExpressionSyntax or ArgumentSyntax or ArgumentListSyntax)
        {
            // new RemoteCertificateValidationCallback(...) wraps the callback in its argument.
            if (node.Parent is ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: not 1 } })
            {
                return null;
            }

            node = node.Parent;
        }

        if (node.Parent is not AssignmentExpressionSyntax assignment || assignment.Right != node)
        {
            return null;
        }

        return assignment.Parent switch
        {
            ExpressionStatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax => statement,
            InitializerExpressionSyntax => assignment,
            _ => null,
        };
    }
}
