using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What a condition proves on the branch where it holds (or fails): bounds from comparisons with
/// constants and with <c>X.Length</c>/<c>X.Count</c>, the unsigned form <c>(uint)i &lt; (uint)a.Length</c>,
/// relational patterns, and the <c>ArgumentOutOfRangeException.ThrowIf*</c> helpers. <c>Debug.Assert</c> is an
/// ordinary call here: it proves nothing, because it is not there in Release builds.
/// </summary>
internal static partial class Conditions
{
    public static FlowState Refine(IOperation condition, bool holds, FlowState state, FlowContext context)
    {
        if (Truths.AtomOf(condition, context) is { } atom)
        {
            // if (entry.IsFile) ... if (entry.IsFile): the second test has the truth the first gave it.
            state = Truths.Learn(atom, holds, state);
        }

        switch (condition.WalkDownConversions())
        {
            case var flag when PathContainment.SwitchedOffCheck(flag, holds, context) is { } skipped:
                // The graph tests the option alone; on the branch that skips the check the caller turned it off.
                return PathContainment.Refine(skipped, state, context);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                return Refine(negation.Operand, !holds, state, context);
            case IPropertyReferenceOperation { Property: { Name: "IsEmpty", IsStatic: false }, Instance.Type: INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory" or "ArraySegment", ContainingNamespace.Name: "System" } } empty:
                // if (span.IsEmpty) return; then span[0]: the view has an element.
                return NotEmpty(empty, holds, state);
            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } flag when context.Compilation is { } compilation && ComputedProperties.Condition(flag.Property, compilation) is { } test:
                // if (this.IsEmpty) return; with IsEmpty => this.data.Length == 0: the getter's own test, of the same instance.
                return Refine(test, holds, state, context);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when holds:
                return Refine(conjunction.RightOperand, true, Refine(conjunction.LeftOperand, true, state, context), context);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when !holds:
                return Refine(disjunction.RightOperand, false, Refine(disjunction.LeftOperand, false, state, context), context);
            case IBinaryOperation switchable when PathContainment.IsSwitchedCheck(switchable, holds, state, context):
                // if (!allowTraversal && !full.StartsWith(root)) throw: the check unless the caller turned it off.
                return Refine(switchable.RightOperand, holds, state, context);
            case var test when NullStates.IsNullTest(test, out var subject, out var nullWhenTrue):
                return NullStates.Refine(subject, holds == nullWhenTrue, state, context);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } native when Verification.NativeProven(context.Model?.GetOperation(native.Syntax) as IBinaryOperation ?? native, out var whenEqual) is { IsEmpty: false } proven && holds == whenEqual:
                // WinVerifyTrust(IntPtr.Zero, ref action, data) == 0: where it holds, the file the data names is verified.
                return Verification.MarkVerified(state, proven.Aggregate(FlowKey.EmptySet, (keys, value) => FlowKey.Of(value) is { } key ? keys.Add(key) : keys));
            // A lifted comparison (long? > long) is false for null as well: its false branch proves nothing.
            case IBinaryOperation binary when Relation(binary.OperatorKind) is { } relation && (holds || !binary.IsLifted):
                var kind = holds ? relation : Negate(relation);
                state = Compare(binary.LeftOperand, kind, binary.RightOperand, state, context);
                return Compare(binary.RightOperand, Swap(kind), binary.LeftOperand, state, context);
            case IIsPatternOperation pattern:
                return Pattern(pattern.Value, pattern.Pattern, holds, state, context);
            case IInvocationOperation defined when holds && EnumRanges.IsDefinedCheck(defined):
                return EnumRanges.Defined(defined, state, context);
            case IInvocationOperation prefix when holds && PathContainment.IsPrefixCheck(prefix):
                return Affixed(prefix, holds, PathContainment.Refine(prefix, state, context));
            case IInvocationOperation validator when holds && Annotations.IsValidator(validator.TargetMethod, context.Options):
                return Transfer.Validate(validator, state, context);
            case IInvocationOperation verification when holds && Verification.KindOf(verification, context.Trust, context.Options, context.Summaries.OptionsOf) == Verification.Kind.ReturnsResult:
                return Verification.MarkVerified(state, Verification.Verified(verification, context.Trust, context.Model));
            case var stored when holds && FlowKey.Of(stored) is { } key && state[key]?.Trail?.VerifiesWhenTrue is { IsEmpty: false } proven:
                // var ok = rsa.VerifyData(data, ...); if (!ok) throw ...: where ok is true, data is verified.
                return Verification.MarkVerified(state, proven);
            case IInvocationOperation allowed when holds && AllowLists.Checked(allowed, state, context) is { IsEmpty: false } names:
                // allowedNames.Contains(name): where it holds, the name is the program's, not the content's.
                return NullStates.CallResult(allowed, holds, names.Aggregate(state, (allowedState, name) => AllowLists.Allow(name, allowedState, context)), context);
            case IInvocationOperation call:
                // string.IsNullOrEmpty(x), or a helper with [NotNullWhen(true)]: x is not null on one branch.
                return NullStates.CallResult(call, holds, Affixed(call, holds, NonEmpty(call, holds, state)), context);
            default:
                return state;
        }
    }

    /// <summary>ArgumentOutOfRangeException.ThrowIfNegative(i) and friends: after the call, the check held.</summary>
    public static FlowState ThrowHelper(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        if (invocation.TargetMethod.ContainingType?.Name != "ArgumentOutOfRangeException" || invocation.Arguments.Length == 0)
        {
            return CheckedByCallee(invocation, state, context);
        }

        var value = invocation.Arguments[0].Value;
        var other = invocation.Arguments.Length > 1 ? invocation.Arguments[1].Value : null;
        return invocation.TargetMethod.Name switch
        {
            "ThrowIfNegative" => Compare(value, Relational.GreaterOrEqual, ValueFact.Constant(0), null, 0, state, context),
            "ThrowIfNegativeOrZero" => Compare(value, Relational.Greater, ValueFact.Constant(0), null, 0, state, context),
            "ThrowIfGreaterThan" when other is not null => Compare(value, Relational.LessOrEqual, other, state, context),
            "ThrowIfGreaterThanOrEqual" when other is not null => Compare(value, Relational.Less, other, state, context),
            "ThrowIfLessThan" when other is not null => Compare(value, Relational.GreaterOrEqual, other, state, context),
            "ThrowIfLessThanOrEqual" when other is not null => Compare(value, Relational.Greater, other, state, context),
            _ => state,
        };
    }

    /// <summary>ThrowIfInvalidLength(length, max) of the compilation, whose block opens with <c>if (length &gt; max) throw</c>: after it, the tests were false.</summary>
    private static FlowState CheckedByCallee(IInvocationOperation invocation, FlowState state, FlowContext context)
    {
        var checks = ThrowingChecks.Of(invocation.TargetMethod, context);
        IOperation? Argument(int ordinal) => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value is { } value
            && (checks.OnlyChecks || value.ConstantValue.HasValue || value.WalkDownConversions() is ILocalReferenceOperation or IParameterReferenceOperation) ? value : null;

        foreach (var test in checks.Tests)
        {
            if (Argument(test.Parameter) is not { } left || Relation(test.Kind) is not { } relation)
            {
                continue;
            }

            var kind = Negate(relation);
            if (test.Other is not { } other)
            {
                state = Compare(left, kind, ValueFact.Constant(test.Constant), null, 0, state, context);
            }
            else if (Argument(other) is { } right)
            {
                state = Compare(left, kind, right, state, context);
                state = Compare(right, Swap(kind), left, state, context);
            }
        }

        return state;
    }

    private enum Relational
    {
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Equal,
        NotEqual,
    }

    private static FlowState Compare(IOperation left, Relational kind, IOperation? right, FlowState state, FlowContext context) =>
        right is null ? state
        // name == "Known", name is "A" or "B", case "Known": the name is one the program wrote.
        : kind == Relational.Equal && left.Type?.SpecialType == SpecialType.System_String && AllowLists.IsConstantName(right) ? AllowLists.Allow(left, state, context)
        : Compare(left, kind, LocalBuffers.SizedBy(right, Evaluator.Eval(right, state, context), context), LengthOf(right, out var minus), minus, state, context, RemainderOf(right));

    /// <summary>Refines <paramref name="left"/> knowing <c>left (kind) bound</c>, where the bound may be <c>buffer.Length - minus</c>.</summary>
    private static FlowState Compare(IOperation left, Relational kind, ValueFact bound, object? buffer, long minus, FlowState state, FlowContext context, FlowKey.Remainder? remainder = null)
    {
        // (uint)i < (uint)n: i is in [0, n) whatever its sign. Through any other narrowing cast, nothing is learned
        // about the variable: (int)pos < n says nothing of a long pos above 2^32.
        var unsigned = false;
        var operand = left;
        while (operand is IConversionOperation conversion)
        {
            var from = conversion.Operand.Type?.SpecialType;
            var to = conversion.Type?.SpecialType;
            if ((from, to) is (SpecialType.System_Int32, SpecialType.System_UInt32 or SpecialType.System_UInt64) or (SpecialType.System_Int64, SpecialType.System_UInt64))
            {
                unsigned = true;
            }
            else if (!Widens(conversion.Operand.Type, conversion.Type))
            {
                return state;
            }

            operand = conversion.Operand;
        }

        operand = operand.WalkDownConversions();
        if (operand is ISimpleAssignmentOperation assignment)
        {
            // while ((read = stream.Read(buffer)) > 0): the comparison is about what was stored.
            operand = assignment.Target;
        }

        if (buffer is not null && !unsigned && ConstantAddend(operand) is var (rest, addend))
        {
            // offset + 4 <= buffer.Length: the offset is at most buffer.Length - 4 (a sum that can wrap is SBD2008's).
            operand = rest;
            minus += addend;
            bound = bound.WithRange(bound.Lower - addend, bound.Upper - addend);
        }

        if (buffer is null && !unsigned && kind is Relational.Less or Relational.LessOrEqual && ConstantAddend(operand) is var (summand, added)
            && FlowKey.Of(summand) is { } summandKey && (bound.BelowLength.Count > 0 || bound.AtMostLength.Count > 0))
        {
            return state.Refine(summandKey, Shifted(state[summandKey] ?? Evaluator.Eval(summand, state, context), summand.Type, added, kind == Relational.Less, bound));
        }

        if (FlowKey.Of(operand) is not { } key)
        {
            return Room(operand, kind, bound, state, context);
        }

        if (context.Resolve(operand) is var captured && captured != operand)
        {
            // switch (fields.Length) { case 3: ... }: the arm tests a capture of the subject; it bounds the subject too.
            state = Compare(captured, kind, bound, buffer, minus, state, context, remainder);
        }

        var fact = state[key] ?? Evaluator.Eval(operand, state, context);

        switch (kind)
        {
            case Relational.Less:
            case Relational.LessOrEqual:
                var strict = kind == Relational.Less;
                if (unsigned)
                {
                    fact = fact.WithLower(0);
                }

                if (bound.Upper is { } upper)
                {
                    fact = fact.WithUpper(strict ? upper - 1 : upper);
                }

                if (buffer is not null)
                {
                    fact = strict || minus > 0 ? fact.Below(buffer) : fact.AtMost(buffer);
                    fact = (strict ? minus + 1 : minus) is var room and >= 2 ? fact.AtMost(new FlowKey.Shortened(buffer, room)) : fact;
                }

                if (remainder is not null)
                {
                    fact = fact.AtMost(remainder);
                }

                fact = Through(fact, bound, strict ? 1 : 0);

                if (!bound.Untrusted)
                {
                    fact = fact.AtMost(FlowKey.Capped);
                }

                if (bound.Untrusted && !fact.Untrusted && buffer is null)
                {
                    // for (i = 0; i < count; i++) with count from the content: i is as untrusted as count, in how high it goes.
                    fact = fact.BoundedBy(bound.Origin);
                }

                break;
            case Relational.Greater:
            case Relational.GreaterOrEqual:
                if (bound.Lower is { } lower)
                {
                    fact = fact.WithLower(kind == Relational.Greater ? lower + 1 : lower);
                }

                break;
            case Relational.Equal:
                if (bound.Lower is { } l && bound.Upper is { } u && l == u)
                {
                    fact = fact.WithRange(l, u);
                }

                if (buffer is not null)
                {
                    // n == list.Count (or list.Count != n with an exit): n is at most the length, below it when
                    // compared with Length - k, and as bounded as whatever bounds the length.
                    fact = minus > 0 ? fact.Below(buffer) : fact.AtMost(buffer);
                    fact = minus >= 2 ? fact.AtMost(new FlowKey.Shortened(buffer, minus)) : fact;
                    fact = Through(fact, bound, extra: 0);
                }

                break;
            case Relational.NotEqual when bound is { Lower: { } excluded, Upper: { } same } && excluded == same:
                // s.Length != 0: a value already known to be at least 0 is at least 1.
                fact = fact.Lower == excluded ? fact.WithLower(excluded + 1) : fact.Upper == excluded ? fact.WithUpper(excluded - 1) : fact;
                break;
        }

        return state.Refine(key, fact);
    }

    /// <summary>
    /// <c>i &lt; count</c> where <c>count &lt;= buffer.Length</c> is known: i is below the buffer's length too (and at most
    /// it, or at most <c>Length - n</c>, through a bound that is). The room adds up: after <c>count = data.Length - 1</c>,
    /// <c>i &lt; count</c> leaves two elements from i on, so <c>data[i + 1]</c> fits. <paramref name="extra"/> is what the
    /// comparison adds: 1 for <c>&lt;</c>, and the constant of <c>i + k &lt; count</c>.
    /// </summary>
    private static ValueFact Through(ValueFact fact, ValueFact bound, long extra)
    {
        foreach (var (relation, below) in bound.AtMostLength.Select(k => (k, 0)).Concat(bound.BelowLength.Select(k => (k, 1))))
        {
            var (buffer, room) = relation switch
            {
                FlowKey.Shortened shortened => (shortened.Buffer, shortened.Amount + below + extra),
                FlowKey.Remainder => (null, 0),
                _ when relation == FlowKey.Capped => (null, 0),
                _ => (relation, below + extra),
            };
            if (buffer is null || room < 0)
            {
                continue;
            }

            fact = room >= 1 ? fact.Below(buffer) : fact.AtMost(buffer);
            fact = room >= 2 ? fact.AtMost(new FlowKey.Shortened(buffer, room)) : fact;
        }

        return fact;
    }

    /// <summary>
    /// <c>i + 2 &lt; count</c>, where count is at most (or below) a buffer's length: i leaves room for 3 elements of the
    /// buffer, so <c>data[i + 2]</c> fits. Only where the sum cannot wrap: an <c>i</c> near the type's largest value
    /// would make it negative, and the test pass.
    /// </summary>
    private static ValueFact Shifted(ValueFact fact, ITypeSymbol? type, long added, bool strict, ValueFact bound)
    {
        if (TaintSources.RangeOf(type).Upper is not { } most || fact.Upper is not { } upper || upper > most - added)
        {
            return fact;
        }

        var extra = added + (strict ? 1 : 0);
        fact = Through(fact, bound, extra);
        fact = bound.Upper is { } limit ? fact.WithUpper(limit - extra) : fact;
        return bound.Untrusted && !fact.Untrusted ? fact.BoundedBy(bound.Origin) : fact;
    }

    /// <summary><c>offset + 4</c>: the tracked part and the constant added to it.</summary>
    private static (IOperation Operand, long Addend)? ConstantAddend(IOperation operation)
    {
        if (operation is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum)
        {
            return null;
        }

        foreach (var (constant, rest) in new[] { (sum.RightOperand, sum.LeftOperand), (sum.LeftOperand, sum.RightOperand) })
        {
            if (constant.ConstantValue is { HasValue: true, Value: { } value } && Evaluator.TryGetInteger(value, out var addend) && addend is > 0 and < int.MaxValue && rest.Type is not IPointerTypeSymbol)
            {
                return (rest.WalkDownConversions(), addend);
            }
        }

        return null;
    }

    /// <summary>
    /// <c>buffer.Length - offset &gt;= 4</c> (or <c>&gt; 3</c>): the offset leaves room for 4 elements of the buffer.
    /// </summary>
    private static FlowState Room(IOperation operand, Relational kind, ValueFact bound, FlowState state, FlowContext context)
    {
        if (kind is not (Relational.Greater or Relational.GreaterOrEqual) || bound.Lower is not { } least
            || RemainderOf(operand) is not { } remainder || remainder.Offset is FlowKey.Remainder)
        {
            return state;
        }

        var room = kind == Relational.Greater ? least + 1 : least;
        var offset = remainder.Offset;
        var fact = state[offset] ?? Evaluator.Eval(((IBinaryOperation)operand.WalkDownConversions()).RightOperand, state, context);
        fact = room switch
        {
            < 0 => fact,
            0 => fact.AtMost(remainder.Buffer),
            1 => fact.Below(remainder.Buffer),
            _ => fact.Below(remainder.Buffer).AtMost(new FlowKey.Shortened(remainder.Buffer, room)),
        };
        return state.Refine(offset, fact);
    }

    /// <summary>True when every value of <paramref name="from"/> is a value of <paramref name="to"/> (or the types are not integers).</summary>
    private static bool Widens(ITypeSymbol? from, ITypeSymbol? to)
    {
        var (fromLower, fromUpper) = TaintSources.RangeOf(from);
        var (toLower, toUpper) = TaintSources.RangeOf(to);
        if (toLower is null && toUpper is null)
        {
            return true;
        }

        return fromLower is { } fl && fromUpper is { } fu && (toLower is null || fl >= toLower) && (toUpper is null || fu <= toUpper);
    }

    /// <summary>The buffer whose Length or Count the operation reads, minus a constant (<c>a.Length - 1</c>).</summary>
    private static object? LengthOf(IOperation operation, out long minus)
    {
        minus = 0;
        operation = operation.WalkDownConversions();
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, RightOperand.ConstantValue: { HasValue: true, Value: { } constant } } difference
            && Evaluator.TryGetInteger(constant, out var amount) && amount >= 0)
        {
            minus = amount;
            operation = difference.LeftOperand.WalkDownConversions();
        }

        return operation is IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "LongLength" } length
            ? FlowKey.Sized(length.Instance)
            : null;
    }

    /// <summary><c>X.Length - offset</c>, with a tracked offset: the room left after it.</summary>
    private static FlowKey.Remainder? RemainderOf(IOperation operation) =>
        operation.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference
            && difference.LeftOperand.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length" or "Count" } length
            && FlowKey.Of(length.Instance) is { } buffer
            && FlowKey.Of(difference.RightOperand) is { } offset
            ? new FlowKey.Remainder(buffer, offset)
            : null;

    private static Relational? Relation(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => Relational.Less,
        BinaryOperatorKind.LessThanOrEqual => Relational.LessOrEqual,
        BinaryOperatorKind.GreaterThan => Relational.Greater,
        BinaryOperatorKind.GreaterThanOrEqual => Relational.GreaterOrEqual,
        BinaryOperatorKind.Equals => Relational.Equal,
        BinaryOperatorKind.NotEquals => Relational.NotEqual,
        _ => null,
    };

    private static Relational Negate(Relational kind) => kind switch
    {
        Relational.Less => Relational.GreaterOrEqual,
        Relational.LessOrEqual => Relational.Greater,
        Relational.Greater => Relational.LessOrEqual,
        Relational.GreaterOrEqual => Relational.Less,
        Relational.Equal => Relational.NotEqual,
        _ => Relational.Equal,
    };

    private static Relational Swap(Relational kind) => kind switch
    {
        Relational.Less => Relational.Greater,
        Relational.LessOrEqual => Relational.GreaterOrEqual,
        Relational.Greater => Relational.Less,
        Relational.GreaterOrEqual => Relational.LessOrEqual,
        _ => kind,
    };
}
