using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The length of a <c>static readonly</c> (or readonly) array field that is created with a constant size (a literal, or a
/// constant of its type by name) or initializer where it is declared. Read from syntax: the declaration may be in another tree.
/// </summary>
internal static class ConstantSizes
{
    public static int? Of(IFieldSymbol field)
    {
        if (field.Type is not IArrayTypeSymbol { Rank: 1 })
        {
            return null;
        }

        return Operations.DeclaredInitializer(field) switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.Count,
            ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks } when ranks[0].Sizes.Count == 1 && Size(field, ranks[0].Sizes[0]) is { } length => length,
            ImplicitArrayCreationExpressionSyntax creation => creation.Initializer.Expressions.Count,
            InitializerExpressionSyntax initializer => initializer.Expressions.Count,
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) => collection.Elements.Count,
            _ => null,
        };
    }

    /// <summary>A literal size, or a constant of the field's own type named by itself (<c>new int[TableSize]</c>).</summary>
    private static int? Size(IFieldSymbol field, ExpressionSyntax size) => size switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) && literal.Token.Value is int length => length,
        IdentifierNameSyntax name => field.ContainingType.GetMembers(name.Identifier.ValueText).OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.IsConst && f.ConstantValue is int)?.ConstantValue is int named && named >= 0 ? named : null,
        _ => null,
    };
}
