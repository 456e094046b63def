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
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResilienceFixer))]
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
        var name = FreeName(editor.SemanticModel, target is BlockSyntax block ? block.Statements[first].SpanStart : ((AnonymousFunctionExpressionSyntax)target).Body.SpanStart, "exception");
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
                var statements = ((BlockSyntax)current).Statements;
                var wrapped = (StatementSyntax)Wrap(statements.Skip(first));
                return ((BlockSyntax)current).WithStatements(SyntaxFactory.List(statements.Take(first).Append(wrapped)));
            });
        }
        else
        {
            editor.ReplaceNode(target, (current, _) =>
            {
                var lambda = (AnonymousFunctionExpressionSyntax)current;
                var statement = SyntaxFactory.ExpressionStatement(lambda.ExpressionBody!.WithoutTrivia());
                // A line break after the brace: the formatter keeps a lambda block on one line when it starts on one.
                var body = SyntaxFactory.Block((StatementSyntax)Wrap(new[] { statement }))
                    .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
                return lambda.WithExpressionBody(null).WithBlock(body).WithAdditionalAnnotations(Formatter.Annotation);
            });
        }
    }

    /// <summary>
    /// What the fix rewrites: the innermost block of the entry (not of a lambda inside it, not the block of a try, which
    /// is wrapped whole) that holds every flagged call, with the index of the first statement to wrap; or an expression-bodied lambda that returns nothing.
    /// Null when there is no fix: the entry returns a value, is top-level statements or an expression-bodied method,
    /// or lies in another document.
    /// </summary>
    private static (SyntaxNode Target, int First)? Target(Diagnostic diagnostic, SyntaxNode root)
    {
        var locations = diagnostic.AdditionalLocations;
        if (!diagnostic.Properties.TryGetValue(ResilienceAnalyzer.ReturnsKey, out var returns)
            || locations.Count < 2 || locations.Any(l => l.SourceTree != root.SyntaxTree))
        {
            return null;
        }

        var body = root.FindNode(locations[0].SourceSpan, getInnermostNodeForTie: true);
        var calls = locations.Skip(1).Select(l => root.FindNode(l.SourceSpan, getInnermostNodeForTie: true)).ToList();
        if (body is BlockSyntax && returns is "nothing" or "exit code")
        {
            BlockSyntax? target = null;
            foreach (var ancestor in calls[0].Ancestors())
            {
                if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                {
                    target = null; // A block inside a lambda of the entry belongs to the lambda.
                }
                else if (ancestor is BlockSyntax { Parent: not TryStatementSyntax } block && target is null && calls.All(c => block.Span.Contains(c.Span)))
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

        return body is ExpressionSyntax expression && expression.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.ExpressionBody == expression
            && returns is "nothing" or "ignored value" && IsStatement(expression)
            ? (lambda, -1)
            : null;
    }

    /// <summary>An expression that can stand as a statement once the lambda has a block body.</summary>
    private static bool IsStatement(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax or ObjectCreationExpressionSyntax
        || expression.IsKind(SyntaxKind.PostIncrementExpression) || expression.IsKind(SyntaxKind.PostDecrementExpression)
        || expression.IsKind(SyntaxKind.PreIncrementExpression) || expression.IsKind(SyntaxKind.PreDecrementExpression);

    /// <summary>The name, or the name with a number, that no local, parameter or member in scope at <paramref name="position"/> has.</summary>
    private static string FreeName(SemanticModel model, int position, string name)
    {
        var candidate = name;
        for (var i = 1; !model.LookupSymbols(position, name: candidate).IsEmpty; i++)
        {
            candidate = name + i;
        }

        return candidate;
    }
}
