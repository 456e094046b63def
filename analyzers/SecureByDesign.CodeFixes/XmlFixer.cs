using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1002: prohibits DTDs and sets the resolver to null.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(XmlFixer))]
public sealed class XmlFixer : DocumentFixer
{
    private const string DtdProcessingType = "System.Xml.DtdProcessing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.XmlDtdProcessing);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.TryGetValue(XmlAnalyzer.FixKey, out var fix) ? fix switch
        {
            XmlAnalyzer.FixProhibitDtd or XmlAnalyzer.FixReaderInitializer => "Prohibit DTD processing",
            XmlAnalyzer.FixResolverNull => "Set XmlResolver to null",
            XmlAnalyzer.FixLoadThroughReader => "Load through XmlReader.Create",
            _ => null,
        }
        : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (!done.Add(node))
        {
            return;
        }

        var generator = editor.Generator;
        switch (diagnostic.Properties[XmlAnalyzer.FixKey])
        {
            case XmlAnalyzer.FixProhibitDtd:
                var isBool = editor.SemanticModel.GetTypeInfo(node, cancellationToken).Type?.SpecialType == SpecialType.System_Boolean;
                editor.ReplaceNode(node, (isBool ? generator.TrueLiteralExpression() : Prohibit(editor)).WithTriviaFrom(node));
                break;
            case XmlAnalyzer.FixResolverNull:
                editor.ReplaceNode(node, generator.NullLiteralExpression().WithTriviaFrom(node));
                break;
            case XmlAnalyzer.FixReaderInitializer when node is BaseObjectCreationExpressionSyntax creation:
                editor.ReplaceNode(creation, AddInitializer(creation, "DtdProcessing", (ExpressionSyntax)Prohibit(editor)));
                break;
            case XmlAnalyzer.FixLoadThroughReader when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation
                && invocation.ArgumentList.Arguments.Count == 1:
                // document.Load(input) -> document.Load(XmlReader.Create(input));
                // document.LoadXml(text) -> document.Load(XmlReader.Create(new StringReader(text))).
                var compilation = editor.SemanticModel.Compilation;
                var input = invocation.ArgumentList.Arguments[0].Expression;
                var source = access.Name.Identifier.ValueText == "LoadXml"
                    ? generator.ObjectCreationExpression(TypeOf(generator, compilation, "System.IO.StringReader"), input.WithoutTrivia())
                    : input.WithoutTrivia();
                var reader = generator.InvocationExpression(TypeMember(generator, compilation, "System.Xml.XmlReader", "Create"), source);
                var load = access.WithName(SyntaxFactory.IdentifierName("Load"));
                editor.ReplaceNode(invocation, invocation
                    .WithExpression(load)
                    .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument((ExpressionSyntax)reader))))
                    .WithAdditionalAnnotations(Formatter.Annotation));
                break;
        }
    }

    private static SyntaxNode Prohibit(DocumentEditor editor) =>
        TypeMember(editor.Generator, editor.SemanticModel.Compilation, DtdProcessingType, "Prohibit");

    private static BaseObjectCreationExpressionSyntax AddInitializer(BaseObjectCreationExpressionSyntax creation, string member, ExpressionSyntax value)
    {
        var assignment = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(member), value);
        var initializer = creation.Initializer is { } existing
            ? existing.AddExpressions(assignment)
            : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(assignment));
        return creation.WithInitializer(initializer).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
