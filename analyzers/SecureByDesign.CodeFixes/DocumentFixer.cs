using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// The shape every fixer here shares: a fix edits one document through a <see cref="DocumentEditor"/>,
/// and Fix All applies every diagnostic of a document in one editor, so that two diagnostics that need
/// the same edit (a constant used twice, a shared regex) make it once.
/// </summary>
public abstract class DocumentFixer : CodeFixProvider
{
    /// <summary>The title of the fix for this diagnostic, or null when this diagnostic has no fix.</summary>
    protected abstract string? Title(Diagnostic diagnostic, SyntaxNode root);

    /// <summary>The title when it depends on the compilation (a fix that calls a method the project declares).</summary>
    protected virtual Task<string?> TitleAsync(Document document, Diagnostic diagnostic, SyntaxNode root, CancellationToken cancellationToken) =>
        Task.FromResult(Title(diagnostic, root));

    /// <summary>
    /// Makes the fix for one diagnostic. <paramref name="done"/> holds the nodes already edited by an
    /// earlier diagnostic of the same Fix All; skip those.
    /// </summary>
    protected abstract void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken);

    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create((context, document, diagnostics) => ApplyAsync(document, diagnostics, context.CancellationToken)!);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (await TitleAsync(context.Document, diagnostic, root, context.CancellationToken).ConfigureAwait(false) is { } title)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), ct), equivalenceKey: GetType().Name + ":" + title),
                    diagnostic);
            }
        }
    }

    /// <summary>An expression for a member of a well-known type, simplified and imported when the fix is applied.</summary>
    protected static SyntaxNode TypeMember(SyntaxGenerator generator, Compilation compilation, string typeMetadataName, string member) =>
        generator.MemberAccessExpression(TypeOf(generator, compilation, typeMetadataName), member).WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);

    /// <summary>An expression naming a well-known type, simplified and imported when the fix is applied.</summary>
    protected static SyntaxNode TypeOf(SyntaxGenerator generator, Compilation compilation, string typeMetadataName)
    {
        var type = compilation.GetTypeByMetadataName(typeMetadataName);
        return type is null
            ? generator.IdentifierName(typeMetadataName.Substring(typeMetadataName.LastIndexOf('.') + 1))
            : generator.TypeExpression(type).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);
    }

    /// <summary>Inserts <c>if (condition) throw new InvalidDataException(message);</c> before a statement.</summary>
    protected static void InsertRejection(DocumentEditor editor, StatementSyntax before, string condition, string message) =>
        editor.InsertBefore(before, Rejection(editor, condition, message));

    /// <summary>Inserts <c>if (condition) throw new InvalidDataException(message);</c> after a statement.</summary>
    protected static void InsertRejectionAfter(DocumentEditor editor, StatementSyntax after, string condition, string message) =>
        editor.InsertAfter(after, Rejection(editor, condition, message));

    /// <summary><c>if (condition) throw new InvalidDataException(message);</c>, formatted and simplified when applied.</summary>
    protected static SyntaxNode Rejection(DocumentEditor editor, string condition, string message) =>
        Rejection(editor.Generator, editor.SemanticModel.Compilation, SyntaxFactory.ParseExpression(condition), InvalidData, editor.Generator.LiteralExpression(message));

    protected const string InvalidData = "System.IO.InvalidDataException";

    protected const string Security = "System.Security.SecurityException";

    /// <summary>
    /// <c>if (condition) throw new TException(message);</c>, the one shape of every rejection a fix inserts, formatted and
    /// simplified when applied; the message may be any expression (an interpolated string naming the actual count).
    /// </summary>
    protected static SyntaxNode Rejection(SyntaxGenerator generator, Compilation compilation, SyntaxNode condition, string exceptionType, SyntaxNode message)
    {
        var exception = TypeOf(generator, compilation, exceptionType);
        var check = generator.IfStatement(condition, new[] { generator.ThrowStatement(generator.ObjectCreationExpression(exception, message)) });
        return check.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
    }

    /// <summary>
    /// Declares <c>private const {type} {name} = {value};</c> at the top of the type that holds
    /// <paramref name="node"/>, unless the type has a member of that name already (a vendor's own limit wins).
    /// </summary>
    protected static void EnsureConstant(DocumentEditor editor, SyntaxNode node, string type, string name, string value, ISet<object> done)
    {
        if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
            || declaration.Members.Any(m => m is FieldDeclarationSyntax f && f.Declaration.Variables.Any(v => v.Identifier.ValueText == name) || m is PropertyDeclarationSyntax p && p.Identifier.ValueText == name)
            || !done.Add((declaration, name)))
        {
            return;
        }

        var constant = editor.Generator.FieldDeclaration(
            name,
            SyntaxFactory.ParseTypeName(type),
            Accessibility.Private,
            DeclarationModifiers.Const,
            SyntaxFactory.ParseExpression(value));
        editor.InsertMembers(declaration, 0, new[] { constant.WithAdditionalAnnotations(Formatter.Annotation) });
    }

    /// <summary>The statement a fix inserts before: one that sits in a block, so that a statement can go above it.</summary>
    protected static StatementSyntax? StatementInBlock(SyntaxNode node) =>
        node.FirstAncestorOrSelf<StatementSyntax>() is { Parent: BlockSyntax or SwitchSectionSyntax } statement ? statement : null;

    /// <summary>True for names and member accesses: expressions a check may evaluate again without side effects.</summary>
    protected static bool IsPlainName(string? text) =>
        text is not null && SyntaxFactory.ParseExpression(text) is var expression
        && !expression.ContainsDiagnostics
        && expression.DescendantNodesAndSelf().All(n => n is IdentifierNameSyntax or MemberAccessExpressionSyntax or ThisExpressionSyntax);

    private async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<object>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (await TitleAsync(document, diagnostic, root, cancellationToken).ConfigureAwait(false) is not null)
            {
                Fix(editor, diagnostic, done, cancellationToken);
            }
        }

        return editor.GetChangedDocument();
    }
}
