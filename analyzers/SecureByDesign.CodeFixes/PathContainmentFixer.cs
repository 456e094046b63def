using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1006. A write with no containment check, when the root the path was built on is known: before the statement,
/// <code>
/// var fullPath = Path.GetFullPath(path);
/// if (!fullPath.StartsWith(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
/// {
///     throw new InvalidDataException("Path 'path' is outside 'root'.");
/// }
/// </code>
/// and the write then takes <c>fullPath</c>. A check whose root lacks the separator: the root becomes
/// <c>root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PathContainmentFixer))]
public sealed class PathContainmentFixer : DocumentFixer
{
    private const string Separator = "Path.DirectorySeparatorChar";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PathWithoutContainment);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => Kind(diagnostic) switch
    {
        PathContainmentAnalyzer.MissingCheck when Write(diagnostic, root) is not null => "Check that the path stays inside its root",
        PathContainmentAnalyzer.RootWithoutSeparator when Expression(root, diagnostic) is not null => "End the root with a directory separator",
        _ => null,
    };

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Kind(diagnostic) == PathContainmentAnalyzer.RootWithoutSeparator)
        {
            if (Expression(editor.OriginalRoot, diagnostic) is { } rootExpression && done.Add(rootExpression))
            {
                var rooted = Qualify(editor, SyntaxFactory.ParseExpression($"{Parenthesize(rootExpression)}.TrimEnd({Separator}) + {Separator}"));
                editor.ReplaceNode(rootExpression, rooted.WithTriviaFrom(rootExpression).WithAdditionalAnnotations(Formatter.Annotation));
            }

            return;
        }

        if (Write(diagnostic, editor.OriginalRoot) is not var (path, statement) || !done.Add(path))
        {
            return;
        }

        var root = diagnostic.Properties[PathContainmentAnalyzer.RootKey]!;
        var name = FreeName(editor.SemanticModel, statement, done);
        var declaration = Qualify(editor, SyntaxFactory.ParseStatement($"var {name} = Path.GetFullPath({path.WithoutTrivia()});"));
        editor.InsertBefore(statement, declaration.WithAdditionalAnnotations(Formatter.Annotation));
        var check = (IfStatementSyntax)Rejection(
            editor,
            $"!{name}.StartsWith(Path.GetFullPath({root}).TrimEnd({Separator}) + {Separator}, StringComparison.Ordinal)",
            $"Path '{path.WithoutTrivia()}' is outside '{root}'.");
        editor.InsertBefore(statement, check.WithCondition(Qualify(editor, check.Condition)));
        editor.ReplaceNode(path, SyntaxFactory.IdentifierName(name).WithTriviaFrom(path));
    }

    /// <summary>The expression the diagnostic is on (FindNode returns the argument for an argument's whole span).</summary>
    private static ExpressionSyntax? Expression(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) switch
        {
            ArgumentSyntax argument => argument.Expression,
            ExpressionSyntax expression => expression,
            _ => null,
        };

    /// <summary>
    /// Makes the <c>Path</c> and <c>StringComparison</c> of generated code name System.IO.Path and System.StringComparison,
    /// imported or qualified as the document needs (a parsed <c>System.IO.Path</c> would stay qualified).
    /// </summary>
    private static T Qualify<T>(DocumentEditor editor, T node)
        where T : SyntaxNode =>
        node.ReplaceNodes(
            node.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Parent is MemberAccessExpressionSyntax access && access.Expression == n && n.Identifier.ValueText is "Path" or "StringComparison"),
            (original, _) => TypeOf(editor.Generator, editor.SemanticModel.Compilation, original.Identifier.ValueText == "Path" ? "System.IO.Path" : "System.StringComparison").WithTriviaFrom(original));

    private static string? Kind(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PathContainmentAnalyzer.KindKey, out var kind) ? kind : null;

    /// <summary>The path argument and the statement that writes it, when the root is known and the statement sits in a block.</summary>
    private static (ExpressionSyntax Path, StatementSyntax Statement)? Write(Diagnostic diagnostic, SyntaxNode root)
    {
        if (!diagnostic.Properties.TryGetValue(PathContainmentAnalyzer.RootKey, out var rootText) || rootText is null
            || Expression(root, diagnostic) is not { } path)
        {
            return null;
        }

        return StatementInBlock(path) is { } statement ? (path, statement) : null;
    }

    /// <summary>"fullPath", or "fullPath2", ... when the name is taken where the statement is or by an earlier fix of the same Fix All.</summary>
    private static string FreeName(SemanticModel model, StatementSyntax statement, ISet<object> done)
    {
        var scope = statement.Parent!;
        for (var i = 1; ; i++)
        {
            var name = i == 1 ? "fullPath" : "fullPath" + i;
            if (model.LookupSymbols(statement.SpanStart, name: name).IsEmpty
                && !scope.DescendantNodes().OfType<VariableDeclaratorSyntax>().Any(v => v.Identifier.ValueText == name)
                && done.Add((scope, name)))
            {
                return name;
            }
        }
    }

    private static string Parenthesize(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax ? expression.ToString() : $"({expression})";
}
