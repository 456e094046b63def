using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1003: inserts one check of the exact field count before the first read of the record in the member,
/// <c>if (fields.Length != N) throw new InvalidDataException($"Expected N fields but found {fields.Length}.")</c>,
/// where N is one more than the highest constant index the member reads (or a helper it calls needs).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FieldCountFixer))]
public sealed class FieldCountFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FieldCountNotChecked);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => null;

    protected override async Task<string?> TitleAsync(Document document, Diagnostic diagnostic, SyntaxNode root, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model is not null && Target(diagnostic, root, model) is not null ? "Check the record's field count" : null;
    }

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Target(diagnostic, editor.OriginalRoot, editor.SemanticModel) is not var (member, statement, symbol, record, needed) || !done.Add((member, symbol)))
        {
            return;
        }

        var length = diagnostic.Properties[FieldCountAnalyzer.LengthKey]!;
        var count = needed.ToString(CultureInfo.InvariantCulture);
        var message = SyntaxFactory.ParseExpression($"$\"Expected {count} fields but found {{{record}.{length}}}.\"");
        var condition = SyntaxFactory.ParseExpression($"{record}.{length} != {count}");
        editor.InsertBefore(statement, Rejection(editor.Generator, editor.SemanticModel.Compilation, condition, InvalidData, message));
    }

    /// <summary>
    /// The member, the statement to insert before (that of the first constant read of the record), the record's symbol and
    /// text, and the count. Reads are matched by symbol, so two records of the same name in different scopes stay apart,
    /// and indexes by constant value, so <c>fields[Pattern]</c> with <c>const int Pattern = 20</c> counts as 20.
    /// </summary>
    private static (SyntaxNode Member, StatementSyntax Statement, ISymbol Symbol, string Record, int Count)? Target(Diagnostic diagnostic, SyntaxNode root, SemanticModel model)
    {
        if (!diagnostic.Properties.TryGetValue(FieldCountAnalyzer.RecordKey, out var record) || !IsPlainName(record)
            || !int.TryParse(diagnostic.Properties[FieldCountAnalyzer.CountKey], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or GlobalStatementSyntax) is not { } member)
        {
            return null;
        }

        var recordSyntax = node switch
        {
            ElementAccessExpressionSyntax access => access.Expression,
            ArgumentSyntax argument => argument.Expression,
            ExpressionSyntax expression => expression,
            _ => null,
        };
        if (recordSyntax is null || model.GetSymbolInfo(recordSyntax).Symbol is not { } symbol)
        {
            return null;
        }

        // Every constant read of the same record in the member: the highest sets the count, the first places the check.
        var reads = new List<SyntaxNode>();
        foreach (var access in member.DescendantNodes().OfType<ElementAccessExpressionSyntax>())
        {
            if (access.ArgumentList.Arguments.Count == 1
                && model.GetConstantValue(access.ArgumentList.Arguments[0].Expression) is { HasValue: true, Value: int index } && index >= 0
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(access.Expression).Symbol, symbol))
            {
                reads.Add(access);
                count = Math.Max(count, index == int.MaxValue ? index : index + 1);
            }
        }

        var first = reads.Append(node).Where(r => r.SpanStart <= node.SpanStart).OrderBy(r => r.SpanStart).First();
        var statement = StatementInBlock(first) ?? StatementInBlock(node);
        return statement is null ? null : (member, statement, symbol, record!, count);
    }
}
