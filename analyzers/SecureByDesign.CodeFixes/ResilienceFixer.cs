using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD4001: wraps the entry's content handling, from the first unprotected call to the end of the block that holds
/// them all, in <c>try { ... } catch (Exception exception) { Trace.TraceError(...); }</c> (and <c>return 1;</c> in a Main
/// that returns an exit code). An expression-bodied lambda that returns nothing gets a block body first.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResilienceFixer)), Shared]
public sealed class ResilienceFixer : DocumentFixer
{
    private const string Message = "Content rejected; the last known good stays in use: {0}";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ContentExceptionEscapes);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        Target(diagnostic, root) is not null ? "Reject the content and keep the last known good" : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Target(diagnostic, editor.OriginalRoot) is not var (target, first) || !done.Add(target))
        {
            return;
        }

        var generator = editor.Generator;
        var name = FreeName(target, "exception");
        var handler = new List<SyntaxNode>
        {
            generator.ExpressionStatement(generator.InvocationExpression(
                TypeMember(generator, editor.SemanticModel.Compilation, "System.Diagnostics.Trace", "TraceError"),
                generator.LiteralExpression(Message),
                generator.IdentifierName(name))),
        };
        if (diagnostic.Properties.TryGetValue(ResilienceAnalyzer.ReturnsKey, out var returns) && returns == "exit code")
        {
            handler.Add(generator.ReturnStatement(generator.LiteralExpression(1)));
        }

        var exception = TypeOf(generator, editor.SemanticModel.Compilation, "System.Exception");
        SyntaxNode Wrap(IEnumerable<SyntaxNode> statements) =>
            generator.TryCatchStatement(statements, generator.CatchClause(exception, name, handler))
                .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);

        if (target is BlockSyntax)
        {
            editor.ReplaceNode(target, (current, _) =>
            {
                var block = (BlockSyntax)current;
                var wrapped = (StatementSyntax)Wrap(block.Statements.Skip(first));
                return block.WithStatements(SyntaxFactory.List(block.Statements.Take(first).Append(wrapped)));
            });
        }
        else
        {
            editor.ReplaceNode(target, (current, _) =>
            {
                var lambda = (AnonymousFunctionExpressionSyntax)current;
                var statement = SyntaxFactory.ExpressionStatement(lambda.ExpressionBody!.WithoutTrivia());
                var body = SyntaxFactory.Block((StatementSyntax)Wrap(new[] { statement })).WithAdditionalAnnotations(Formatter.Annotation);
                return lambda.WithExpressionBody(null).WithBlock(body);
            });
        }
    }

    /// <summary>
    /// What the fix rewrites: the innermost block of the entry (not of a lambda inside it) that holds every flagged
    /// call, with the index of the first statement to wrap; or an expression-bodied lambda that returns nothing.
    /// Null when there is no fix: the entry returns a value, is top-level statements or an expression-bodied method,
    /// or lies in another document.
    /// </summary>
    private static (SyntaxNode Target, int First)? Target(Diagnostic diagnostic, SyntaxNode root)
    {
        var locations = diagnostic.AdditionalLocations;
        if (!diagnostic.Properties.TryGetValue(ResilienceAnalyzer.ReturnsKey, out var returns) || returns == "value"
            || locations.Count < 2 || locations.Any(l => l.SourceTree != root.SyntaxTree))
        {
            return null;
        }

        var body = root.FindNode(locations[0].SourceSpan, getInnermostNodeForTie: true);
        var calls = locations.Skip(1).Select(l => root.FindNode(l.SourceSpan, getInnermostNodeForTie: true)).ToList();
        if (body is BlockSyntax)
        {
            BlockSyntax? target = null;
            foreach (var ancestor in calls[0].Ancestors())
            {
                if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                {
                    target = null; // A block inside a lambda of the entry belongs to the lambda.
                }
                else if (ancestor is BlockSyntax block && target is null && calls.All(c => block.Span.Contains(c.Span)))
                {
                    target = block;
                }

                if (ancestor == body)
                {
                    break;
                }
            }

            var start = calls.Min(c => c.SpanStart);
            var first = target?.Statements.IndexOf(s => s.Span.Contains(start)) ?? -1;
            return target is null || first < 0 ? null : (target, first);
        }

        return body is ExpressionSyntax && body.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.ExpressionBody == body && returns == "nothing"
            ? (lambda, -1)
            : null;
    }

    /// <summary>The name, or the name with a number, that nothing in the enclosing member uses.</summary>
    private static string FreeName(SyntaxNode node, string name)
    {
        var scope = node.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? node;
        var used = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var candidate = name;
        for (var i = 1; used.Contains(candidate); i++)
        {
            candidate = name + i;
        }

        return candidate;
    }
}
