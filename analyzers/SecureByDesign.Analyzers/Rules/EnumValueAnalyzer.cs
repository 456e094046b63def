using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1007: an enum value made from content (<c>(Kind)reader.ReadByte()</c>, <c>Enum.Parse</c> of untrusted text) that
/// is switched on by a switch that assumes one of its cases runs, used as an index, stored in a field, property, array element or new
/// object, or returned, while its range is not proven to lie within the enum's members. <c>Enum.IsDefined</c> proves
/// that range on its true branch (<see cref="EnumRanges"/>); comparisons with the first and last member prove it too.
/// [Flags] enums are left out: their valid values are combinations, which IsDefined rejects. A store or a return of an
/// enum the compilation declares is a use only when some code of the compilation relies on that enum's values being
/// members (<see cref="EnumReliance"/>): where every later reader only compares the value, keeping an unknown id is harmless.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EnumValueAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic properties for the fixer: the value as written, the enum's name, where the local is declared.</summary>
    public const string ValueKey = "Value";
    public const string EnumKey = "Enum";
    public const string DeclarationKey = "Declaration";
    public const string BeforeUseKey = "BeforeUse";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UncheckedEnumValue);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var reliance = new EnumReliance(start.Compilation);
            FlowRules.Register(start, new FlowFamily(
                nameof(EnumValueAnalyzer),
                MayMakeEnum,
                alsoInteresting: null,
                report =>
                {
                    // One finding per value: the fix checks it once, after its declaration.
                    var reported = new HashSet<object>(FlowKey.Comparer);
                    return (operation, state, flow) => Inspect(report, reported, reliance, operation, state, flow);
                }));
        });
    }

    private static void Inspect(Action<Diagnostic> report, HashSet<object> reported, EnumReliance reliance, IOperation operation, FlowState state, FlowContext flow)
    {
        if (operation is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IConversionOperation or IInvocationOperation)
            || operation.Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType
            || (operation is IConversionOperation { Operand.Type.TypeKind: TypeKind.Enum })
            || enumType.GetAttributes().Any(a => a.AttributeClass?.Name == "FlagsAttribute")
            || EnumRanges.MemberRange(enumType) is not var (min, max))
        {
            return;
        }

        var fact = Evaluator.Eval(operation, state, flow);
        if (!fact.Untrusted || (fact.Lower >= min && fact.Upper <= max) || Use(operation, flow.Model) is not var (use, direct))
        {
            return;
        }

        // A store or a return matters where the code relies on the enum's members somewhere: say where.
        var additional = Enumerable.Empty<Location>();
        if (!direct)
        {
            if (reliance.For(enumType, flow.CancellationToken) is not { } relied)
            {
                return;
            }

            use = relied.Text is { } text ? $"{use}, and {text}" : use;
            additional = relied.Location.IsInSource ? new[] { relied.Location } : additional;
        }

        var key = FlowKey.Of(operation) ?? operation.Syntax.GetLocation();
        if (!reported.Add(key))
        {
            return;
        }

        // For the fixer: the names it needs, and where the check goes: after the local's declarator when the local holds
        // its initializer throughout, else before the statement of the use (a local assigned again, a parameter).
        var properties = ImmutableDictionary<string, string?>.Empty.Add(ValueKey, operation.Syntax.ToString()).Add(EnumKey, enumType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        if (operation is ILocalReferenceOperation local && local.Local.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration && declaration.SyntaxTree == operation.Syntax.SyntaxTree
            && Initializers.ValueOf(local.Local, flow.Compilation) is not null)
        {
            properties = properties.Add(DeclarationKey, declaration.Span.Start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (operation is ILocalReferenceOperation or IParameterReferenceOperation)
        {
            properties = properties.Add(BeforeUseKey, "true");
        }

        report(Diagnostic.Create(
            Descriptors.UncheckedEnumValue,
            operation.Syntax.GetLocation(),
            additional,
            properties,
            operation.Describe(),
            fact.Origin,
            use,
            enumType.Name));
    }

    /// <summary>
    /// Where an untrusted enum value can come from: a cast to an enum, Enum.Parse/TryParse, or a parameter, member or call
    /// of an enum type (annotated, or summarized as returning content). Bodies without one are not analyzed.
    /// </summary>
    private static bool MayMakeEnum(IOperation operation) => operation switch
    {
        IConversionOperation { Type.TypeKind: TypeKind.Enum, Operand.Type.TypeKind: not TypeKind.Enum } => true,
        IInvocationOperation { TargetMethod.ContainingType.SpecialType: SpecialType.System_Enum } => true,
        IParameterReferenceOperation or IPropertyReferenceOperation or IInvocationOperation => operation.Type?.TypeKind == TypeKind.Enum,
        IFieldReferenceOperation field => field.Type?.TypeKind == TypeKind.Enum && !field.Field.IsConst,
        _ => false,
    };

    /// <summary>
    /// What the value is used for, when it is a use that needs a valid member, and whether the use itself relies on it
    /// (a switch, an index) rather than keeping it for code elsewhere (a store, a return); null otherwise.
    /// </summary>
    private static (string Text, bool Direct)? Use(IOperation operation, SemanticModel? model)
    {
        var syntax = operation.Syntax;
        while (syntax.Parent is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            syntax = syntax.Parent;
        }

        // ok ? kind : Kind.None and kind ?? fallback are lowered into a temporary: the use is the whole expression's.
        var branchOfConditional = false;
        while (syntax.Parent is ConditionalExpressionSyntax conditional && conditional.Condition != syntax
            || syntax.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression }
            || syntax.Parent is ParenthesizedExpressionSyntax && branchOfConditional)
        {
            branchOfConditional = true;
            syntax = syntax.Parent;
        }

        switch (syntax.Parent)
        {
            case ReturnStatementSyntax or ArrowExpressionClauseSyntax when branchOfConditional:
                return ("returned", false);
            case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment when branchOfConditional && assignment.Right == syntax
                && model?.GetSymbolInfo(assignment.Left).Symbol is IFieldSymbol or IPropertySymbol:
                return ($"stored in '{assignment.Left}'", false);
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: BaseObjectCreationExpressionSyntax creation } } when branchOfConditional:
                return ($"passed to '{Operations.Shorten(creation.ToString())}'", false);
            case SwitchStatementSyntax statement when statement.Expression == syntax:
                return EnumReliance.HandlesUnlisted(statement) || !EnumReliance.ListsEveryMember(statement, model)
                    ? null
                    : ("switched on by a switch that lists every member and has no default, so it runs no case", true);
            case SwitchExpressionSyntax expression when expression.GoverningExpression == syntax:
                return EnumReliance.HasDiscardArm(expression) ? null : ("switched on by a switch expression with no discard arm, which throws SwitchExpressionException", true);
            case ReturnStatementSyntax or ArrowExpressionClauseSyntax when operation.Parent is null or IReturnOperation:
                return ("returned", false);
        }

        var user = operation.Parent;
        var value = operation;
        while (user is IConversionOperation or IParenthesizedOperation)
        {
            value = user;
            user = user.Parent;
        }

        return user switch
        {
            IArrayElementReferenceOperation element when element.Indices.Contains(value) => ($"used as an index of '{element.ArrayReference.Describe()}'", true),
            IArgumentOperation { Parent: IPropertyReferenceOperation { Property.IsIndexer: true } indexer } when indexer.Instance is { Type: { } listType } list && !EnumReliance.IsKeyedLookup(listType) =>
                ($"used as an index of '{list.Describe()}'", true),
            ISimpleAssignmentOperation assignment when assignment.Value == value && assignment.Target is not ILocalReferenceOperation =>
                ($"stored in '{assignment.Target.Describe()}'", false),
            IArgumentOperation { Parent: IObjectCreationOperation creation } => ($"passed to '{creation.Describe()}'", false),
            IReturnOperation => ("returned", false),
            _ => null,
        };
    }
}
