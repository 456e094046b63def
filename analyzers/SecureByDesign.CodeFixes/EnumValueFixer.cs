using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1007: inserts <c>if (!Enum.IsDefined(kind)) throw new InvalidDataException(...)</c> right after the declaration of
/// the local that holds the value (<c>Enum.IsDefined(typeof(Kind), kind)</c> where the generic overload does not exist),
/// when that declaration is a statement of a block and nothing assigns the local again; before the statement of the use
/// for a local assigned again or a parameter. Any other value gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnumValueFixer))]
public sealed class EnumValueFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UncheckedEnumValue);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        Declaration(diagnostic, root) is not null || Use(diagnostic, root) is not null ? "Check the value with Enum.IsDefined" : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        var declaration = Declaration(diagnostic, editor.OriginalRoot);
        var use = declaration is null ? Use(diagnostic, editor.OriginalRoot) : null;
        var value = diagnostic.Properties[EnumValueAnalyzer.ValueKey]!;
        if (((StatementSyntax?)declaration ?? use) is not { } anchor || !done.Add((anchor, value)))
        {
            return;
        }

        var enumName = diagnostic.Properties[EnumValueAnalyzer.EnumKey]!;
        var generic = editor.SemanticModel.Compilation.GetSpecialType(SpecialType.System_Enum)
            .GetMembers("IsDefined").Any(m => m is IMethodSymbol { IsGenericMethod: true, Parameters.Length: 1 });
        var condition = generic ? $"!System.Enum.IsDefined({value})" : $"!System.Enum.IsDefined(typeof({enumName}), {value})";
        var message = $"'{value}' is not a member of '{enumName}'.";
        if (declaration is not null)
        {
            InsertRejectionAfter(editor, declaration, condition, message);
        }
        else
        {
            InsertRejection(editor, anchor, condition, message);
        }
    }

    /// <summary>The statement of the use, for a local assigned after its declaration or a parameter: the check goes before it.</summary>
    private static StatementSyntax? Use(Diagnostic diagnostic, SyntaxNode root) =>
        diagnostic.Properties.ContainsKey(EnumValueAnalyzer.BeforeUseKey) && diagnostic.Location.SourceSpan.End <= root.FullSpan.End
            ? StatementInBlock(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true))
            : null;

    /// <summary>The declaration statement of the local, when it sits in a block.</summary>
    private static LocalDeclarationStatementSyntax? Declaration(Diagnostic diagnostic, SyntaxNode root)
    {
        if (!diagnostic.Properties.TryGetValue(EnumValueAnalyzer.DeclarationKey, out var text)
            || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
            || start >= root.FullSpan.End)
        {
            return null;
        }

        return root.FindToken(start).Parent?.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { Parent: BlockSyntax or SwitchSectionSyntax } statement ? statement : null;
    }
}
