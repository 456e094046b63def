using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD2003 and SBD2007: rejects a size or count above a named constant (<c>MaxCount</c>, declared when the type
/// has none) before the allocation or loop. SBD2006: rejects a stream or HTTP content longer than
/// <c>MaxContentBytes</c> before it is read whole. SBD2004: <c>stackalloc T[n]</c> becomes
/// <c>n &lt;= Cap ? stackalloc T[n] : new T[n]</c>: the stack only below the cap, the same length either way.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MemoryLimitsFixer))]
public sealed class MemoryLimitsFixer : DocumentFixer
{

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIds.UnboundedAllocation, RuleIds.UncappedStackalloc, RuleIds.UnboundedRead, RuleIds.UncappedLoop);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var size = diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.SizeKey, out var text) ? text : null;
        return diagnostic.Id switch
        {
            RuleIds.UncappedStackalloc when node is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax array } && array.RankSpecifiers[0].Sizes.Count == 1
                && IsPlainName(array.RankSpecifiers[0].Sizes[0].ToString()) && IsSpanTarget(node) => "Fall back to the heap above a constant cap",
            RuleIds.UnboundedRead when IsPlainName(size) && StatementInBlock(node) is not null
                && diagnostic.Properties[MemoryBoundsAnalyzer.SourceKindKey] is "Stream" or "HttpContent" => "Reject content longer than a named maximum",
            RuleIds.UnboundedAllocation or RuleIds.UncappedLoop when IsPlainName(size) && Guarded(node) is not null => "Reject sizes above a named maximum",
            _ => null,
        };
    }

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var size = diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.SizeKey, out var text) ? text! : string.Empty;
        switch (diagnostic.Id)
        {
            case RuleIds.UncappedStackalloc when node is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax array } stackAllocation && done.Add(node):
                var n = array.RankSpecifiers[0].Sizes[0].ToString();
                var cap = diagnostic.Properties[MemoryBoundsAnalyzer.CapKey];
                var element = array.ElementType.ToString();
                var replacement = SyntaxFactory.ParseExpression($"{n} <= {cap} ? stackalloc {element}[{n}] : new {element}[{n}]");
                editor.ReplaceNode(stackAllocation, replacement.WithTriviaFrom(stackAllocation).WithAdditionalAnnotations(Formatter.Annotation));
                break;
            case RuleIds.UnboundedRead when StatementInBlock(node) is { } statement && done.Add((statement, size)):
                EnsureConstant(editor, node, "long", "MaxContentBytes", Limit(diagnostic), done);
                var condition = diagnostic.Properties[MemoryBoundsAnalyzer.SourceKindKey] == "HttpContent"
                    ? $"{size}.Headers.ContentLength is not <= MaxContentBytes"
                    : $"{size}.Length > MaxContentBytes";
                InsertRejection(editor, statement, condition, $"'{size}' is larger than MaxContentBytes.");
                break;
            // One check per size and method: the first, in source order, is above the others.
            case RuleIds.UnboundedAllocation or RuleIds.UncappedLoop when Guarded(node) is { } guarded
                && done.Add((guarded.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)guarded, size)):
                var name = "Max" + Pascal(size.Substring(size.LastIndexOf('.') + 1));
                EnsureConstant(editor, node, "int", name, Limit(diagnostic), done);
                var unsigned = diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.UnsignedKey, out var type) && type == "ulong" ? "ulong" : "uint";
                InsertRejection(editor, guarded, $"({unsigned}){size} > {name}", $"'{size}' is larger than {name}.");
                break;
        }
    }

    /// <summary>The analyzer's limit for this finding (from max_allocation), written as people write sizes: <c>16 * 1024 * 1024</c>.</summary>
    private static string Limit(Diagnostic diagnostic)
    {
        var cap = long.Parse(diagnostic.Properties[MemoryBoundsAnalyzer.CapKey]!, System.Globalization.CultureInfo.InvariantCulture);
        const long MiB = 1024 * 1024;
        return cap == MiB ? "1024 * 1024"
            : cap % MiB == 0 ? $"{cap / MiB} * 1024 * 1024"
            : cap % 1024 == 0 ? $"{cap / 1024} * 1024"
            : cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The statement that gets the check: the loop itself for a loop condition, else the statement of the allocation.</summary>
    private static StatementSyntax? Guarded(SyntaxNode node) =>
        node.Parent is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax
            ? StatementInBlock(node.Parent)
            : StatementInBlock(node);

    /// <summary>A Span&lt;T&gt; or ReadOnlySpan&lt;T&gt; variable: a pointer cannot point at an array from the heap branch.</summary>
    private static bool IsSpanTarget(SyntaxNode stackAllocation) =>
        stackAllocation.Parent is EqualsValueClauseSyntax { Parent.Parent: VariableDeclarationSyntax { Type: GenericNameSyntax { Identifier.ValueText: "Span" or "ReadOnlySpan" } } };

    private static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
}
