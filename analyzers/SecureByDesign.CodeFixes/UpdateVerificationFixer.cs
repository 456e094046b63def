using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>SBD3001: not yet offered; see docs/rules/SBD3001.md.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UpdateVerificationFixer)), Shared]
public sealed class UpdateVerificationFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnverifiedUpdate);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
    }
}
