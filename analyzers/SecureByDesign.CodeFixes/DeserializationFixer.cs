using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1001: sets Newtonsoft.Json's <c>TypeNameHandling</c> to <c>None</c>. The formatters have no fix: the code must move to another serializer.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeserializationFixer))]
public sealed class DeserializationFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InsecureDeserializer);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.ContainsKey(DeserializationAnalyzer.TypeNameHandlingKey) ? "Set TypeNameHandling.None" : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        var value = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (done.Add(value))
        {
            editor.ReplaceNode(value, TypeMember(editor.Generator, editor.SemanticModel.Compilation, DeserializationAnalyzer.TypeNameHandlingMetadataName, "None").WithTriviaFrom(value));
        }
    }
}
