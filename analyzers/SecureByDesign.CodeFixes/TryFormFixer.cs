using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace SecureByDesign.Analyzers;

/// <summary>
/// The rewrite SBD1004 and SBD1008 share: a statement that calls a throwing parser or accessor becomes its Try
/// form with a rejection. <c>var n = int.Parse(s);</c> becomes
/// <c>if (!int.TryParse(s, out var n)) throw new InvalidDataException("...");</c> and <c>n = int.Parse(s);</c>
/// becomes <c>if (!int.TryParse(s, out n)) throw ...;</c>. The analyzer decides where that is safe and says how
/// (<see cref="TryForm.FixProperties"/>); a diagnostic without those properties gets no fix.
/// </summary>
public abstract class TryFormFixer : DocumentFixer
{
    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.TryGetValue(TryForm.NameKey, out var name) && name is not null && Statement(diagnostic, root) is not null
            ? $"Use {name} and reject the content"
            : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Statement(diagnostic, editor.OriginalRoot) is not { } statement || !done.Add(statement))
        {
            return;
        }

        var call = (InvocationExpressionSyntax)editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var properties = diagnostic.Properties;
        var generator = editor.Generator;
        var compilation = editor.SemanticModel.Compilation;
        var name = properties[TryForm.NameKey]!;

        // int.Parse -> int.TryParse, Enum.Parse<T> -> Enum.TryParse<T>, element.GetInt32 -> element.TryGetInt32,
        // Convert.ToInt32 -> int.TryParse.
        var callee = properties.TryGetValue(TryForm.OwnerKey, out var owner) && owner is not null
            ? (ExpressionSyntax)generator.MemberAccessExpression(TypeOf(generator, compilation, owner), name)
            : Renamed(call.Expression, name);
        if (callee is null)
        {
            return;
        }

        var given = call.ArgumentList.Arguments;
        var arguments = new List<ArgumentSyntax>();
        foreach (var item in properties[TryForm.ArgumentsKey]!.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            arguments.Add(item switch
            {
                "null" => SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression)),
                _ when int.TryParse(item, out var index) => given[index].WithoutTrivia(),
                _ => SyntaxFactory.Argument((ExpressionSyntax)TypeMember(generator, compilation, item, "None")),
            });
        }

        ExpressionSyntax result;
        if (statement is LocalDeclarationStatementSyntax declaration)
        {
            var variable = declaration.Declaration.Variables[0];
            result = SyntaxFactory.DeclarationExpression(
                declaration.Declaration.Type.WithoutTrivia(),
                SyntaxFactory.SingleVariableDesignation(variable.Identifier.WithoutTrivia()));
        }
        else
        {
            result = ((AssignmentExpressionSyntax)((ExpressionStatementSyntax)statement).Expression).Left.WithoutTrivia();
        }

        arguments.Add(SyntaxFactory.Argument(null, SyntaxFactory.Token(SyntaxKind.OutKeyword), result));
        var tryCall = SyntaxFactory.InvocationExpression(callee, SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments)));
        var rejection = Rejection(generator, compilation, generator.LogicalNotExpression(tryCall), InvalidData, generator.LiteralExpression(properties[TryForm.MessageKey] ?? "The content is malformed."));
        editor.ReplaceNode(statement, rejection.WithTriviaFrom(statement));
    }

    /// <summary>The statement the diagnostic's call makes up, when the analyzer said it can be rewritten.</summary>
    private static StatementSyntax? Statement(Diagnostic diagnostic, SyntaxNode root)
    {
        if (!diagnostic.Properties.TryGetValue(TryForm.ShapeKey, out var shape)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call)
        {
            return null;
        }

        return shape switch
        {
            TryForm.DeclareShape => call.Parent?.Parent?.Parent?.Parent as LocalDeclarationStatementSyntax,
            TryForm.AssignShape => call.Parent?.Parent as ExpressionStatementSyntax,
            _ => null,
        };
    }

    /// <summary>The callee with its method name replaced, generic arguments kept: <c>Enum.Parse&lt;T&gt;</c> to <c>Enum.TryParse&lt;T&gt;</c>.</summary>
    private static ExpressionSyntax? Renamed(ExpressionSyntax callee, string name)
    {
        SimpleNameSyntax Rename(SimpleNameSyntax simple) => simple is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(name))
            : SyntaxFactory.IdentifierName(name);

        return callee switch
        {
            MemberAccessExpressionSyntax access => access.WithName(Rename(access.Name)),
            SimpleNameSyntax simple => Rename(simple),
            _ => null,
        };
    }
}
