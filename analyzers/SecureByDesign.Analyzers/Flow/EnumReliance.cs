using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Where a compilation relies on the values of an enum it declares being members: a switch statement that lists
/// every member with no default, a switch expression with no discard arm, or an index (<c>names[(int)kind]</c>), on
/// any value of the enum. A value stored or returned without a check does harm only where some code relies on it so;
/// when the compilation only compares values of its enum, storing one that is not a member is how readers keep ids
/// they do not know. Found by one walk of the compilation's syntax, the first time a rule asks, and kept with the
/// rule's compilation state.
/// </summary>
internal sealed class EnumReliance
{
    private readonly Compilation compilation;
    private readonly object gate = new();
    private Dictionary<ITypeSymbol, Reliance>? found;

    public EnumReliance(Compilation compilation) => this.compilation = compilation;

    /// <summary>What relies on membership, and where.</summary>
    /// <param name="Text">How the compilation relies on it (<c>'Kind' is used as an index at Reader.cs line 40</c>); null for an enum declared outside.</param>
    /// <param name="Location">The value at the place that relies on it; <see cref="Location.None"/> for an enum declared outside.</param>
    public readonly record struct Reliance(string? Text, Location Location);

    /// <summary>
    /// Where the compilation relies on the members of <paramref name="enumType"/>, or null when nothing does. An enum
    /// declared outside the compilation gets its own description with no location: code outside may rely on it.
    /// </summary>
    public Reliance? For(INamedTypeSymbol enumType, CancellationToken cancellationToken)
    {
        if (!SymbolEqualityComparer.Default.Equals(enumType.ContainingAssembly, compilation.Assembly))
        {
            return new Reliance(null, Location.None);
        }

        lock (gate)
        {
            found ??= Walk(cancellationToken);
        }

        return found.TryGetValue(enumType.OriginalDefinition, out var reliance) ? reliance : null;
    }

    /// <summary>
    /// A default section (or a discard pattern), whatever it does: the code handles every value the cases do not list,
    /// a value outside the members among them. Reading unknown ids and skipping them is how tag and container readers
    /// stay compatible with newer files.
    /// </summary>
    public static bool HasDefault(SwitchStatementSyntax statement) =>
        statement.Sections.Any(section =>
            section.Labels.Any(label => label is DefaultSwitchLabelSyntax || label is CasePatternSwitchLabelSyntax { Pattern: DiscardPatternSyntax, WhenClause: null }));

    /// <summary>
    /// A default section, or a section that does nothing but <c>break</c> (<c>case Kind.Reserved: break;</c>): a value
    /// that runs no case goes on after the switch, as that member does, so the code already handles it. Readers of
    /// descriptor or record lists that skip the kinds they do not use are written this way.
    /// </summary>
    public static bool HandlesUnlisted(SwitchStatementSyntax statement) =>
        HasDefault(statement)
        || statement.Sections.Any(section => section.Statements.Count == 1 && section.Statements[0] switch
        {
            BreakStatementSyntax => true,
            BlockSyntax block => block.Statements.Count == 1 && block.Statements[0] is BreakStatementSyntax,
            _ => false,
        });

    /// <summary>A dictionary: indexing it by a value that is not a member finds no entry, it reads nothing out of bounds.</summary>
    public static bool IsKeyedLookup(ITypeSymbol type) =>
        type.Name is "Dictionary" or "IDictionary" or "IReadOnlyDictionary" or "ConcurrentDictionary" or "SortedDictionary" or "ImmutableDictionary";

    /// <summary>An arm <c>_</c> or <c>var x</c> with no condition.</summary>
    public static bool HasDiscardArm(SwitchExpressionSyntax expression) =>
        expression.Arms.Any(arm => arm.Pattern is DiscardPatternSyntax or VarPatternSyntax && arm.WhenClause is null);

    /// <summary>
    /// The cases list every member of the enum: the code takes for granted that one of them runs, and a value outside
    /// the members runs none. A switch that lists only some members already lets other values through on purpose.
    /// </summary>
    public static bool ListsEveryMember(SwitchStatementSyntax statement, SemanticModel? model, CancellationToken cancellationToken = default)
    {
        if (model?.GetTypeInfo(statement.Expression, cancellationToken).Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } type)
        {
            return true;
        }

        var listed = new HashSet<object>();
        foreach (var label in statement.Sections.SelectMany(section => section.Labels))
        {
            if (label is CaseSwitchLabelSyntax { Value: var value } && model.GetConstantValue(value, cancellationToken) is { HasValue: true, Value: { } constant })
            {
                listed.Add(constant);
            }
        }

        return type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue && f.ConstantValue is not null).All(f => listed.Contains(f.ConstantValue!));
    }

    private Dictionary<ITypeSymbol, Reliance> Walk(CancellationToken cancellationToken)
    {
        var result = new Dictionary<ITypeSymbol, Reliance>(SymbolEqualityComparer.Default);
        foreach (var tree in compilation.SyntaxTrees)
        {
            SemanticModel? model = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (value, text) = node switch
                {
                    SwitchStatementSyntax statement when !HandlesUnlisted(statement) => (statement.Expression, "switched on by a switch with no default"),
                    SwitchExpressionSyntax expression when !HasDiscardArm(expression) => (expression.GoverningExpression, "switched on by a switch expression with no discard arm"),
                    ArgumentSyntax { Parent: BracketedArgumentListSyntax { Parent: ElementAccessExpressionSyntax }, Expression: var index } when index is not LiteralExpressionSyntax => (index, "used as an index"),
                    _ => default((ExpressionSyntax?, string?)),
                };

                if (value is null || text is null)
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(tree);
                if (Relied(node, Unwrap(value, index: node is ArgumentSyntax), model, cancellationToken) is { } enumType && !result.ContainsKey(enumType))
                {
                    var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    var file = System.IO.Path.GetFileName(tree.FilePath);
                    result.Add(enumType, new Reliance($"'{enumType.Name}' is {text} at {(file.Length == 0 ? "line" : file + " line")} {line.ToString(System.Globalization.CultureInfo.InvariantCulture)}", value.GetLocation()));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The value under parentheses, and for an index under casts and an offset by a constant: <c>(int)kind</c> and
    /// <c>(int)kind - 1</c> (a table for an enum that starts at 1) index by <c>kind</c>.
    /// </summary>
    private static ExpressionSyntax Unwrap(ExpressionSyntax value, bool index)
    {
        while (true)
        {
            switch (value)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    value = parenthesized.Expression;
                    break;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } postfix:
                    value = postfix.Operand;
                    break;
                case CastExpressionSyntax cast when index:
                    value = cast.Expression;
                    break;
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression, Right: LiteralExpressionSyntax } offset when index:
                    value = offset.Left;
                    break;
                default:
                    return value;
            }
        }
    }

    /// <summary>The source enum whose membership <paramref name="node"/> relies on, or null.</summary>
    private ITypeSymbol? Relied(SyntaxNode node, ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(value, cancellationToken).Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType
            || !SymbolEqualityComparer.Default.Equals(enumType.ContainingAssembly, compilation.Assembly)
            || enumType.GetAttributes().Any(a => a.AttributeClass?.Name == "FlagsAttribute"))
        {
            return null;
        }

        var relies = node switch
        {
            SwitchStatementSyntax statement => ListsEveryMember(statement, model, cancellationToken),
            // A member written out (this[Kind.Root]) is a member; the compilation's own indexer taking the enum
            // (this[Kind kind] => names[(int)kind]) is walked on its own, where it indexes by the value or checks it.
            ArgumentSyntax { Parent.Parent: ElementAccessExpressionSyntax access } =>
                !model.GetConstantValue(value, cancellationToken).HasValue
                && model.GetTypeInfo(access.Expression, cancellationToken).Type is { } container
                && (container.TypeKind is TypeKind.Array or TypeKind.Pointer || !IsKeyedLookup(container))
                && !(model.GetSymbolInfo(access, cancellationToken).Symbol is IPropertySymbol { IsIndexer: true } indexer
                    && SymbolEqualityComparer.Default.Equals(indexer.ContainingAssembly, compilation.Assembly)
                    && indexer.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, enumType))),
            _ => true,
        };

        return relies ? enumType.OriginalDefinition : null;
    }
}
