using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1005: adds a one-second match timeout, to the static call, to the <c>new Regex(...)</c> that built
/// the instance, or to its <c>[GeneratedRegex]</c> attribute (1000 ms).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RegexTimeoutFixer))]
public sealed class RegexTimeoutFixer : DocumentFixer
{
    private const string RegexOptionsType = "System.Text.RegularExpressions.RegexOptions";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.RegexWithoutTimeout);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        Target(diagnostic, root) is not null ? "Add a match timeout" : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        var target = Target(diagnostic, editor.OriginalRoot);
        if (target is null || !done.Add(target))
        {
            return;
        }

        var compilation = editor.SemanticModel.Compilation;
        var none = (ExpressionSyntax)TypeMember(editor.Generator, compilation, RegexOptionsType, "None");
        switch (target)
        {
            case AttributeSyntax attribute:
                var timeout = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1000)));
                var arguments = attribute.ArgumentList?.Arguments ?? default;
                // (pattern[, options[, matchTimeoutMilliseconds][, cultureName]]): an infinite (-1) timeout is replaced.
                arguments = arguments.Count switch
                {
                    1 => arguments.Add(SyntaxFactory.AttributeArgument(none)).Add(timeout),
                    2 => arguments.Add(timeout),
                    _ when arguments[2].Expression.IsKind(SyntaxKind.StringLiteralExpression) => arguments.Insert(2, timeout),
                    _ => arguments.Replace(arguments[2], timeout),
                };
                editor.ReplaceNode(attribute, attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(arguments)));
                break;
            case InvocationExpressionSyntax invocation:
                editor.ReplaceNode(invocation, invocation.WithArgumentList(AddTimeout(invocation.ArgumentList, editor, compilation, none, cancellationToken)));
                break;
            case BaseObjectCreationExpressionSyntax { ArgumentList: { } argumentList } creation:
                editor.ReplaceNode(creation, creation.WithArgumentList(AddTimeout(argumentList, editor, compilation, none, cancellationToken)));
                break;
        }
    }

    private static ArgumentListSyntax AddTimeout(ArgumentListSyntax list, DocumentEditor editor, Compilation compilation, ExpressionSyntax none, CancellationToken cancellationToken)
    {
        var hasOptions = list.Arguments.Any(a => editor.SemanticModel.GetTypeInfo(a.Expression, cancellationToken).ConvertedType?.Name == "RegexOptions");
        var named = list.Arguments.Any(a => a.NameColon is not null);
        var timeout = (ExpressionSyntax)editor.Generator.InvocationExpression(
            TypeMember(editor.Generator, compilation, "System.TimeSpan", "FromSeconds"),
            editor.Generator.LiteralExpression(1));
        var arguments = list.Arguments;
        var infinite = arguments.FirstOrDefault(a => editor.SemanticModel.GetTypeInfo(a.Expression, cancellationToken).ConvertedType?.Name == "TimeSpan");
        if (infinite is not null)
        {
            return list.WithArguments(arguments.Replace(infinite, infinite.WithExpression(timeout.WithAdditionalAnnotations(Simplifier.Annotation))));
        }

        if (!hasOptions)
        {
            arguments = arguments.Add(Argument(named ? "options" : null, none));
        }

        arguments = arguments.Add(Argument(named ? "matchTimeout" : null, timeout.WithAdditionalAnnotations(Simplifier.Annotation)));
        return list.WithArguments(arguments).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static ArgumentSyntax Argument(string? name, ExpressionSyntax expression) =>
        name is null ? SyntaxFactory.Argument(expression) : SyntaxFactory.Argument(SyntaxFactory.NameColon(name), default, expression);

    /// <summary>The node that gets the timeout: the construction named by the diagnostic, or the static call itself.</summary>
    private static SyntaxNode? Target(Diagnostic diagnostic, SyntaxNode root)
    {
        if (diagnostic.AdditionalLocations.Count > 0)
        {
            var location = diagnostic.AdditionalLocations[0];
            if (location.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            return node.FirstAncestorOrSelf<AttributeSyntax>() ?? (SyntaxNode?)(node as BaseObjectCreationExpressionSyntax is { ArgumentList: not null } c ? c : null);
        }

        return root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as InvocationExpressionSyntax;
    }
}
