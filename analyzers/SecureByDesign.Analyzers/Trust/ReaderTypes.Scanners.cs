using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// Hand-written scanners over a string: a class or struct whose constructor takes the text as a <c>string</c> or
/// <c>char[]</c> and stores it (or a value made from it, <c>json.ToCharArray()</c>) in an instance field of one of those
/// types, and whose code indexes that field by one of its own number fields (<c>text[index]</c>, <c>json[pos++]</c>): it
/// walks the text by a position it keeps, as a JSON or expression parser does. Such a scanner is a text reader like one
/// over a <c>TextReader</c>: the text it walks is the document a library was handed to parse. A class that only keeps a
/// string it is given (a name, a path) is no scanner: nothing walks it by a position. Read from syntax, by the fields' names.
/// </summary>
internal sealed partial class ReaderTypes
{
    /// <summary>What the trust model takes for a scanner over a string, for docs/trust-model.md.</summary>
    public static string ScannerDescription { get; } =
        "A class or struct declared in the compilation is also a text reader when it is a scanner over a string: a constructor\n"
        + "takes the text as a `string` or `char[]` and assigns it, or a value made from it (`json.ToCharArray()`), to an\n"
        + "instance field of type `string` or `char[]`, and its code indexes that field by one of its instance number fields\n"
        + "(`json[index]`, `text[pos++]`): it walks the text by a position it keeps. Its reads are sources as above, `Decode*`\n"
        + "and reads that return `object` (a parsed document) included. A class that keeps a string without walking it by a\n"
        + "position is no scanner.\n";

    /// <summary>True when the type is a scanner over a string: it stores the text it is given and indexes it by a position field.</summary>
    private static bool ScansText(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return false;
        }

        var texts = new HashSet<string>(StringComparer.Ordinal);
        var positions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (field.IsStatic || field.IsConst || field.IsImplicitlyDeclared)
            {
                continue;
            }

            if (IsTextType(field.Type))
            {
                texts.Add(field.Name);
            }
            else if (field.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
            {
                positions.Add(field.Name);
            }
        }

        if (texts.Count == 0 || positions.Count == 0)
        {
            return false;
        }

        var stored = type.InstanceConstructors.Any(c => c.Parameters.Any(p => IsTextType(p.Type) && Stores(c, p, texts)));
        return stored && type.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantNodes().OfType<ElementAccessExpressionSyntax>().Any(e =>
            texts.Contains(NameOf(e.Expression) ?? string.Empty)
            && e.ArgumentList.Arguments.Any(a => a.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => positions.Contains(n.Identifier.ValueText)))));
    }

    private static bool IsTextType(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_String || type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Char };

    /// <summary>The constructor assigns one of the text fields from an expression that mentions the parameter.</summary>
    private static bool Stores(IMethodSymbol constructor, IParameterSymbol parameter, HashSet<string> texts) =>
        constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax declaration
            && declaration.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a =>
                texts.Contains(NameOf(a.Left) ?? string.Empty)
                && a.Right.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == parameter.Name)));

    /// <summary>The field a plain name or <c>this.name</c> names.</summary>
    private static string? NameOf(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };
}
