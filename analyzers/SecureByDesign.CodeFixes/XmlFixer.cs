using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1002: prohibits DTDs and sets the resolver to null.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(XmlFixer)), Shared]
public sealed class XmlFixer : DocumentFixer
{
    private const string DtdProcessingType = "System.Xml.DtdProcessing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.XmlDtdProcessing);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.TryGetValue(XmlAnalyzer.FixKey, out var fix) ? fix switch
        {
            XmlAnalyzer.FixProhibitDtd or XmlAnalyzer.FixReaderInitializer => "Prohibit DTD processing",
            XmlAnalyzer.FixResolverNull => "Set XmlResolver to null",
            XmlAnalyzer.FixDocumentResolver when CanSetDocumentResolver(root, diagnostic) => "Set XmlResolver to null before loading",
            _ => null,
        }
        : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<SyntaxNode> done, CancellationToken cancellationToken)
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
            case XmlAnalyzer.FixDocumentResolver when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }:
                var nullLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression);
                if (access.Expression is BaseObjectCreationExpressionSyntax documentCreation)
                {
                    editor.ReplaceNode(documentCreation, AddInitializer(documentCreation, "XmlResolver", nullLiteral));
                }
                else if (node.FirstAncestorOrSelf<StatementSyntax>() is { } statement)
                {
                    var assignment = generator.ExpressionStatement(generator.AssignmentStatement(
                        generator.MemberAccessExpression(access.Expression.WithoutTrivia(), "XmlResolver"),
                        generator.NullLiteralExpression()));
                    editor.InsertBefore(statement, assignment.WithAdditionalAnnotations(Formatter.Annotation));
                }

                break;
        }
    }

    private static SyntaxNode Prohibit(DocumentEditor editor) =>
        TypeMember(editor.Generator, editor.SemanticModel.Compilation, DtdProcessingType, "Prohibit");

    private static bool CanSetDocumentResolver(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation
        && (access.Expression is BaseObjectCreationExpressionSyntax
            || invocation.FirstAncestorOrSelf<StatementSyntax>()?.Parent is BlockSyntax or SwitchSectionSyntax);

    private static BaseObjectCreationExpressionSyntax AddInitializer(BaseObjectCreationExpressionSyntax creation, string member, ExpressionSyntax value)
    {
        var assignment = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(member), value);
        var initializer = creation.Initializer is { } existing
            ? existing.AddExpressions(assignment)
            : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(assignment));
        return creation.WithInitializer(initializer).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
