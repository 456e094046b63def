using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers;

/// <summary>Small questions about operations that several rules ask.</summary>
internal static class Operations
{
    private static readonly char[] Whitespace = { '\r', '\n', '\t', ' ' };
    private static readonly char[] LineBreaksAndTabs = { '\r', '\n', '\t' };

    /// <summary>The operation under any implicit or explicit conversions and parentheses.</summary>
    public static IOperation WalkDownConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The argument given for the parameter named <paramref name="name"/>, if any.</summary>
    public static IArgumentOperation? Argument(this ImmutableArray<IArgumentOperation> arguments, string name)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == name && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>True when the type is <paramref name="baseType"/> or derives from it.</summary>
    public static bool InheritsFromOrEquals(this ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The full metadata name of a type: namespace, containing types and name.</summary>
    public static string FullName(this ITypeSymbol type) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);

    /// <summary>"Type.Member", as messages name an API.</summary>
    public static string ShortName(this ISymbol symbol) =>
        symbol.ContainingType is null ? symbol.Name : symbol.ContainingType.Name + "." + (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "ctor" : symbol.Name);

    /// <summary>The source text of an operation, shortened for messages.</summary>
    public static string Describe(this IOperation operation) => Shorten(operation.Syntax.ToString());

    /// <summary>Source text on one line, shortened for messages.</summary>
    public static string Shorten(string text)
    {
        // Most texts are short and on one line already: the engine describes every source it meets, so they cost nothing.
        if (text.Length <= 60 && text.IndexOfAny(LineBreaksAndTabs) < 0 && text.IndexOf("  ", StringComparison.Ordinal) < 0
            && (text.Length == 0 || (text[0] != ' ' && text[text.Length - 1] != ' ')))
        {
            return text;
        }

        text = string.Join(" ", text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    /// <summary>
    /// The syntax of the value a local, field or property was initialized with where it was declared,
    /// or null. Syntax only: the declaration may be in another tree.
    /// </summary>
    public static ExpressionSyntax? DeclaredInitializer(ISymbol symbol)
    {
        if (symbol is not (ILocalSymbol or IFieldSymbol or IPropertySymbol))
        {
            return null;
        }

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax())
            {
                case VariableDeclaratorSyntax { Initializer.Value: { } value }:
                    return value;
                case PropertyDeclarationSyntax { Initializer.Value: { } value }:
                    return value;
            }
        }

        return null;
    }

    /// <summary>The method or lambda body that contains the operation.</summary>
    public static IOperation Root(this IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>True when the string constant value of the operation (folded by the compiler) is known.</summary>
    public static bool TryGetString(this IOperation operation, out string value)
    {
        if (operation.ConstantValue is { HasValue: true, Value: string text })
        {
            value = text;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>True for a syntax literal such as <c>"..."</c>, <c>"""..."""</c> or <c>@"..."</c>.</summary>
    public static bool IsStringLiteral(this SyntaxNode node) =>
        node.IsKind(SyntaxKind.StringLiteralExpression) || node.IsKind(SyntaxKind.Utf8StringLiteralExpression);
}
