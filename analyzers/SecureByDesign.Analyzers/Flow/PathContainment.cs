using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The containment check of a path built from content: <c>Path.GetFullPath(target).StartsWith(root)</c>, or
/// <c>full.StartsWith(root)</c> where <c>full</c> was set to <c>Path.GetFullPath(target)</c>. On the branch
/// where it holds, <c>full</c> and <c>target</c> get a fact under a <see cref="FactKey.Contained"/> key: [1, 1] when
/// the root ends with a directory separator, [0, 0] when it does not (then <c>/data/out</c> lets
/// <c>/data/outside</c> through, and the check itself is what a rule reports).
/// </summary>
internal static partial class PathContainment
{
    private const int MaxDepth = 8;

    public static FactKey Key(object path) => new(FactKey.Contained, path);

    /// <summary><c>text.StartsWith(prefix, ...)</c> on strings.</summary>
    public static bool IsPrefixCheck(IInvocationOperation invocation) =>
        invocation is { TargetMethod.Name: "StartsWith", Instance: not null, Arguments.Length: > 0 }
        && invocation.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String
        && invocation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String;

    /// <summary>
    /// <c>!option &amp;&amp; !full.StartsWith(root)</c> (failing) or <c>option || full.StartsWith(root)</c> (holding): a
    /// containment check that runs unless a boolean option of the program's (a parameter, field or property, false by
    /// default) is set: <c>allowParentTraversal</c>. Where the option is kept the check holds; where it is set, the
    /// caller chose to let the path out. An option that turns the check on (<c>strict &amp;&amp; !check</c>) is not one.
    /// </summary>
    public static bool IsSwitchedCheck(IBinaryOperation condition, bool holds, FlowState state, FlowContext context) =>
        SkippableCheck(condition, out _) is not null && !Evaluator.Eval(condition.LeftOperand, state, context).Untrusted
        && (condition.OperatorKind == BinaryOperatorKind.ConditionalAnd ? !holds : holds);

    /// <summary>
    /// The option of <see cref="IsSwitchedCheck"/> as the graph tests it, apart from its check (the graph branches on
    /// <c>option</c> alone): on the branch where the option is set, the check it skips; null anywhere else.
    /// </summary>
    public static IInvocationOperation? SwitchedOffCheck(IOperation flag, bool holds, FlowContext context)
    {
        var syntax = flag.Syntax;
        var negations = 0;
        while (syntax.Parent is ParenthesizedExpressionSyntax or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression })
        {
            negations += syntax.Parent is PrefixUnaryExpressionSyntax ? 1 : 0;
            syntax = syntax.Parent;
        }

        if (flag.Type?.SpecialType != SpecialType.System_Boolean
            || syntax.Parent is not BinaryExpressionSyntax binary || binary.Left != syntax
            || context.Compilation is not { } compilation || !compilation.ContainsSyntaxTree(binary.SyntaxTree)
            || compilation.GetSemanticModel(binary.SyntaxTree).GetOperation(binary) is not IBinaryOperation condition
            || SkippableCheck(condition, out var skipsWhen) is not { } check)
        {
            return null;
        }

        // The value the left operand has on this branch: the flag's, through the negations between them.
        var left = negations % 2 == 0 ? holds : !holds;
        return left == skipsWhen ? check : null;
    }

    /// <summary>
    /// The check of <c>!option &amp;&amp; !check</c> or <c>option || check</c>, and the value of the left operand that
    /// skips it (false, true); null for any other condition.
    /// </summary>
    private static IInvocationOperation? SkippableCheck(IBinaryOperation condition, out bool skipsWhen)
    {
        var right = condition.RightOperand.WalkDownConversions();
        var left = condition.LeftOperand.WalkDownConversions();
        (skipsWhen, var option, var check) = condition.OperatorKind switch
        {
            BinaryOperatorKind.ConditionalAnd => (false, left is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } kept ? kept.Operand : null,
                right is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation ? negation.Operand.WalkDownConversions() : null),
            BinaryOperatorKind.ConditionalOr => (true, left, right),
            _ => (false, null, null),
        };
        return option is not null && IsOption(option) && check is IInvocationOperation prefix && IsPrefixCheck(prefix) ? prefix : null;
    }

    /// <summary>A boolean parameter (not marked as content), field or property: an option of the program's.</summary>
    private static bool IsOption(IOperation operation) => operation.WalkDownConversions() switch
    {
        IParameterReferenceOperation { Parameter.Type.SpecialType: SpecialType.System_Boolean } parameter => !Trust.Annotations.IsUntrustedParameter(parameter.Parameter),
        IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } => true,
        IPropertyReferenceOperation { Property.Type.SpecialType: SpecialType.System_Boolean, Property.IsIndexer: false } => true,
        _ => false,
    };

    /// <summary>On the branch where the prefix check held: the normalized path and what it was normalized from are contained.</summary>
    public static FlowState Refine(IInvocationOperation check, FlowState state, FlowContext context)
    {
        var fact = ValueFact.Constant(RootEndsWithSeparator(Uncaptured(check.Arguments[0].Value, context), context.Compilation) ? 1 : 0);
        foreach (var key in NormalizedKeys(Uncaptured(check.Instance!, context), context.Compilation))
        {
            state = state.Refine(Key(key), fact);
        }

        return state;
    }

    /// <summary>
    /// The operation a flow capture stands for: a ?: or ?? among the arguments of a call makes the graph capture the
    /// receiver and the arguments before it. Anything else is returned as it is.
    /// </summary>
    public static IOperation Uncaptured(IOperation operation, FlowContext context)
    {
        operation = operation.WalkDownConversions();
        if (operation is not IFlowCaptureReferenceOperation capture)
        {
            return operation;
        }

        var resolved = context.Resolve(capture);
        return resolved != capture ? resolved : Captures.Original(capture, context) ?? operation;
    }

    /// <summary>
    /// The keys a prefix check on <paramref name="subject"/> vouches for: none unless the subject is
    /// <c>Path.GetFullPath(x)</c> (then x) or a local that holds it and is not assigned again (then the local and x).
    /// </summary>
    public static IEnumerable<object> NormalizedKeys(IOperation subject, Compilation? compilation)
    {
        subject = subject.WalkDownConversions();
        if (FullPathArgument(subject) is { } target)
        {
            if (FlowKey.Of(target) is { } key)
            {
                yield return key;
            }

            yield break;
        }

        if (subject is ILocalReferenceOperation local && Initializers.ValueOf(local.Local, compilation) is { } value && FullPathArgument(value) is { } source)
        {
            yield return local.Local;
            if (FlowKey.Of(source) is { } key)
            {
                yield return key;
            }
        }
    }

    /// <summary>
    /// The fact under the containment key of the path written (or of the path inside <c>Path.GetFullPath(...)</c>), or
    /// null. On a path that cannot run (<see cref="Truths.IsInfeasible"/>) every path is contained.
    /// </summary>
    public static ValueFact? Contained(IOperation path, FlowState state)
    {
        if (Truths.IsInfeasible(state))
        {
            return ValueFact.Constant(1);
        }

        path = path.WalkDownConversions();
        var key = FlowKey.Of(FullPathArgument(path) ?? path);
        return key is null ? null : state[Key(key)];
    }

    /// <summary>True when the root is known to end with '/' or '\': a constant, "+ Path.DirectorySeparatorChar", an interpolation ending in one.</summary>
    public static bool RootEndsWithSeparator(IOperation root, Compilation? compilation, int depth = 0)
    {
        root = root.WalkDownConversions();
        if (depth > MaxDepth)
        {
            return false;
        }

        if (root.ConstantValue is { HasValue: true, Value: var constant })
        {
            return constant switch
            {
                string text => text.EndsWith("/", StringComparison.Ordinal) || text.EndsWith("\\", StringComparison.Ordinal),
                char character => character is '/' or '\\',
                _ => false,
            };
        }

        switch (root)
        {
            case IFieldReferenceOperation { Field.Name: "DirectorySeparatorChar" or "AltDirectorySeparatorChar", Field.ContainingType.Name: "Path" }:
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                return RootEndsWithSeparator(concatenation.RightOperand, compilation, depth + 1);
            case IInterpolatedStringOperation { Parts.Length: > 0 } interpolated:
                return interpolated.Parts[interpolated.Parts.Length - 1] switch
                {
                    IInterpolatedStringTextOperation text => RootEndsWithSeparator(text.Text, compilation, depth + 1),
                    IInterpolationOperation hole => RootEndsWithSeparator(hole.Expression, compilation, depth + 1),
                    _ => false,
                };
            case ICoalesceOperation coalesce:
                return RootEndsWithSeparator(coalesce.Value, compilation, depth + 1) && RootEndsWithSeparator(coalesce.WhenNull, compilation, depth + 1);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return RootEndsWithSeparator(conditional.WhenTrue, compilation, depth + 1) && RootEndsWithSeparator(whenFalse, compilation, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "GetFullPath", TargetMethod.ContainingType.Name: "Path" } full when FullPathArgument(full) is { } path:
                // GetFullPath keeps a trailing separator (of the path, not of the base it resolves a relative path against).
                return RootEndsWithSeparator(path, compilation, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "Concat", TargetMethod.ContainingType.SpecialType: SpecialType.System_String, Arguments.Length: > 0 } concat:
                return concat.Arguments[concat.Arguments.Length - 1].Value is not IArrayCreationOperation last || last.Initializer?.ElementValues.LastOrDefault() is not { } element
                    ? RootEndsWithSeparator(concat.Arguments[concat.Arguments.Length - 1].Value, compilation, depth + 1)
                    : RootEndsWithSeparator(element, compilation, depth + 1);
            case ILocalReferenceOperation local:
                return Initializers.ValueOf(local.Local, compilation) is { } localValue
                    ? RootEndsWithSeparator(localValue, compilation, depth + 1)
                    : SeparatorAppended(local, compilation);
            case IFieldReferenceOperation field:
                return Initializers.ValueOf(field.Field, compilation) is { } fieldValue && RootEndsWithSeparator(fieldValue, compilation, depth + 1);
            case IPropertyReferenceOperation property:
                return Initializers.ValueOf(property.Property, compilation) is { } propertyValue && RootEndsWithSeparator(propertyValue, compilation, depth + 1);
            default:
                return false;
        }
    }

    /// <summary>The path of <c>Path.GetFullPath(path)</c> or <c>Path.GetFullPath(path, basePath)</c>, or null.</summary>
    private static IOperation? FullPathArgument(IOperation operation) =>
        operation.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "GetFullPath", TargetMethod.ContainingType.Name: "Path", Arguments.Length: 1 or 2 } full
            ? full.Arguments.Argument("path")?.Value
            : null;
}
