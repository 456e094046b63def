using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>Ranges through operators. A result that can leave its type's range wraps in unchecked code, so it is unknown.</summary>
internal static class Arithmetic
{
    public static ValueFact Binary(BinaryOperatorKind kind, ValueFact left, ValueFact right, ITypeSymbol? type, bool isChecked)
    {
        var untrusted = left.Untrusted || right.Untrusted;
        var origin = left.Untrusted ? left.Origin : right.Origin;
        var (lower, upper) = kind switch
        {
            BinaryOperatorKind.Add => (Sum(left.Lower, right.Lower), Sum(left.Upper, right.Upper)),
            BinaryOperatorKind.Subtract => (Sum(left.Lower, Negate(right.Upper)), Sum(left.Upper, Negate(right.Lower))),
            BinaryOperatorKind.Multiply when left.IsNonNegative && right.IsNonNegative =>
                (left.Lower * right.Lower, left.Upper is { } a && right.Upper is { } b && a < int.MaxValue && b < int.MaxValue ? a * b : null),
            BinaryOperatorKind.And => Mask(left, right),
            // ((first & 0x7F) << 8) | next: of two values known not to be negative, no bit above the highest either can have.
            BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr when left is { Lower: >= 0, Upper: { } a } && right is { Lower: >= 0, Upper: { } b } =>
                (kind == BinaryOperatorKind.Or ? Math.Max(left.Lower!.Value, right.Lower!.Value) : 0L, (long?)Bits(Math.Max(a, b))),
            BinaryOperatorKind.Remainder when right is { Lower: { } divisor, Upper: { } same } && divisor == same && divisor > 0 =>
                left.IsNonNegative ? (0L, (long?)(divisor - 1)) : (-(divisor - 1), divisor - 1),
            BinaryOperatorKind.Divide when left.IsNonNegative && right is { Lower: { } divisor, Upper: { } sameDivisor } && divisor == sameDivisor && divisor > 0 =>
                (left.Lower / divisor, left.Upper is { } dividend ? dividend / divisor : null),
            // C# takes a shift count modulo the width: v >> 33 of an int is v >> 1.
            BinaryOperatorKind.RightShift when left.IsNonNegative && right is { Lower: { } shift, Upper: { } sameShift } && shift == sameShift && shift >= 0 =>
                (left.Lower >> (int)(shift & Width(type)), left.Upper is { } top ? top >> (int)(shift & Width(type)) : null),
            // 2 << (packed & 7): a non-negative value shifted by a count in [0, 30] (counts past it are masked), with no overflow.
            BinaryOperatorKind.LeftShift when left is { Lower: { } low, Upper: { } high } && low >= 0 && high <= int.MaxValue
                && right is { Lower: { } fewest, Upper: { } most } && fewest >= 0 && most <= 30 && (high << (int)most) <= int.MaxValue =>
                (low << (int)fewest, (long?)(high << (int)most)),
            BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.ConditionalAnd
                or BinaryOperatorKind.ConditionalOr => (0L, (long?)1),
            _ => ((long?)null, (long?)null),
        };

        var (typeLower, typeUpper) = TaintSources.RangeOf(type);
        var overflows = (typeLower is { } tl && (lower is null || lower < tl)) || (typeUpper is { } tu && (upper is null || upper > tu));
        if (overflows && kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply)
        {
            // Unchecked: the sum wraps to anything in the type. Checked: it throws instead of wrapping.
            (lower, upper) = isChecked ? (Math.Max(lower ?? long.MinValue, typeLower ?? long.MinValue), Math.Min(upper ?? long.MaxValue, typeUpper ?? long.MaxValue)) : (typeLower, typeUpper);
        }

        var result = ValueFact.Range(lower, upper).WithUntrusted(untrusted, origin);
        if (kind == BinaryOperatorKind.Add && (Constant(right) ?? Constant(left)) is { } step and >= 1)
        {
            // i + 1 of an i untrusted only in how high it goes (for (i = start; i < count; i++)) is no lower than i.
            var stepped = Constant(right) is not null ? left : right;
            var shifted = Shifted(stepped, result, step);
            return stepped.UpperOnly ? shifted.AsUpperOnly() : shifted;
        }

        if (kind == BinaryOperatorKind.And)
        {
            // n & ~1, n & mask: of a non-negative n, at most n, so below or at most every length n is.
            result = right.IsNonNegative ? KeepsBelowLength(right, result, strictly: false) : result;
            return left.IsNonNegative ? KeepsBelowLength(left, result, strictly: false) : result;
        }

        // n - k that can wrap (n may be int.MinValue) is not below anything; checked, it throws instead.
        return kind == BinaryOperatorKind.Subtract && right.IsNonNegative
            ? (overflows && !isChecked ? KeepsBelowLength(left, result, right.Lower >= 1) : Shortened(left, right, KeepsBelowLength(left, result, right.Lower >= 1)))
            : result;
    }

    /// <summary>
    /// n - k with n at most a length and k at least 2: at most the length less k, so a range of it past an offset below
    /// k fits (<c>s.Substring(1, s.Length - 2)</c> once it is not negative).
    /// </summary>
    private static ValueFact Shortened(ValueFact left, ValueFact right, ValueFact result)
    {
        foreach (var bound in left.BelowLength.Concat(left.AtMostLength))
        {
            if (bound is FlowKey.Remainder or FlowKey.Allocated or FlowKey.Shortened || bound == FlowKey.Capped)
            {
                continue;
            }

            var room = right.Lower!.Value + (left.BelowLength.Contains(bound) ? 1 : 0);
            result = room >= 2 ? result.AtMost(new FlowKey.Shortened(bound, room)) : result;
        }

        return result;
    }

    /// <summary>The largest number with no bit above the highest bit of <paramref name="value"/> (not negative).</summary>
    /// <summary>The mask C# applies to a shift count: 63 for a 64-bit operand, 31 otherwise.</summary>
    private static long Width(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 ? 63 : 31;

    private static long Bits(long value)
    {
        for (var shift = 1; shift < 64; shift <<= 1)
        {
            value |= value >> shift;
        }

        return value;
    }

    private static long? Constant(ValueFact fact) => fact is { Lower: { } value, Upper: { } same } && value == same ? value : null;

    /// <summary>
    /// i + k, where i leaves room for at least k elements of a buffer, is still at most its length: after
    /// <c>i &lt; s.Length</c>, <c>s.Substring(i + 1)</c> fits; after <c>i + 4 &lt;= b.Length</c>, <c>b[i + 3]</c> does.
    /// </summary>
    private static ValueFact Shifted(ValueFact value, ValueFact result, long step)
    {
        foreach (var bound in value.BelowLength.Concat(value.AtMostLength))
        {
            // The elements of the buffer known to exist from the value on: Length - value >= room.
            (object? Buffer, long Room) known = bound switch
            {
                FlowKey.Shortened shortened => (shortened.Buffer, shortened.Amount + (value.BelowLength.Contains(bound) ? 1 : 0)),
                FlowKey.Remainder or FlowKey.Allocated => (null, 0),
                _ when bound == FlowKey.Capped => (null, 0),
                _ => (bound, value.BelowLength.Contains(bound) ? 1 : 0),
            };

            var rest = known.Room - step;
            if (known.Buffer is not { } buffer || rest < 0)
            {
                continue;
            }

            result = rest == 0 ? result.AtMost(buffer) : result.Below(buffer);
            result = rest >= 2 ? result.AtMost(new FlowKey.Shortened(buffer, rest)) : result;
        }

        return result;
    }

    /// <summary>
    /// n - k with k >= 0 stays at most what n was at most; with k >= 1, at most a length becomes below it. A capped n
    /// that is not negative stays capped (<c>arrayLength - 1</c> of a checked count): the difference cannot wrap.
    /// </summary>
    private static ValueFact KeepsBelowLength(ValueFact left, ValueFact result, bool strictly)
    {
        result = left.BelowLength.Aggregate(result, (fact, buffer) => fact.Below(buffer));
        result = left.AtMostLength.Contains(FlowKey.Capped) && left.IsNonNegative ? result.AtMost(FlowKey.Capped) : result;
        return left.AtMostLength.Where(buffer => buffer is not FlowKey.Remainder && buffer != FlowKey.Capped)
            .Aggregate(result, (fact, buffer) => strictly ? fact.Below(buffer) : fact.AtMost(buffer));
    }

    /// <summary>
    /// Math.Min(a, b) is at most each of them, so it keeps every length bound either has:
    /// <c>Math.Min(buffer.Length, length)</c> is at most <c>buffer.Length</c> whatever <c>length</c> is.
    /// </summary>
    public static ValueFact Min(ValueFact a, ValueFact b)
    {
        var min = ValueFact.Range(a.Lower is { } x && b.Lower is { } y ? Math.Min(x, y) : null, a.Upper is { } u && b.Upper is { } v ? Math.Min(u, v) : a.Upper ?? b.Upper)
            .WithUntrusted(a.Untrusted || b.Untrusted, a.Untrusted ? a.Origin : b.Origin);
        min = a.BelowLength.Union(b.BelowLength).Aggregate(min, (fact, buffer) => fact.Below(buffer));
        min = a.AtMostLength.Union(b.AtMostLength).Aggregate(min, (fact, buffer) => fact.AtMost(buffer));
        // Math.Min(count, chunk.Length) with count the code's own: a negative minimum is the code's, not the content's.
        return min.Untrusted && !min.IsNonNegative && (!a.Untrusted || a.LowerIsOwn) && (!b.Untrusted || b.LowerIsOwn) ? min.AsUpperOnly() : min;
    }

    /// <summary>Math.Max(a, b) is at most a length only when both are (below it when both are below it).</summary>
    public static ValueFact Max(ValueFact a, ValueFact b)
    {
        var max = ValueFact.Range(a.Lower is { } x && b.Lower is { } y ? Math.Max(x, y) : a.Lower ?? b.Lower, a.Upper is { } u && b.Upper is { } v ? Math.Max(u, v) : null)
            .WithUntrusted(a.Untrusted || b.Untrusted, a.Untrusted ? a.Origin : b.Origin);
        var below = a.BelowLength.Intersect(b.BelowLength);
        max = below.Aggregate(max, (fact, buffer) => fact.Below(buffer));
        return a.AtMostLength.Union(a.BelowLength).Intersect(b.AtMostLength.Union(b.BelowLength)).Except(below)
            .Aggregate(max, (fact, buffer) => fact.AtMost(buffer));
    }

    private static (long?, long?) Mask(ValueFact left, ValueFact right)
    {
        // x & mask, with a non-negative mask, is in [0, mask] whatever x is; of two non-negative values, at most the smaller.
        long? mask = right is { Lower: { } r, Upper: { } rs } && r == rs && r >= 0 ? r
            : left is { Lower: { } l, Upper: { } ls } && l == ls && l >= 0 ? l
            : null;
        if (mask is null && (left.IsNonNegative || right.IsNonNegative))
        {
            long? upper = left.IsNonNegative && right.IsNonNegative ? Smaller(left.Upper, right.Upper) : left.IsNonNegative ? left.Upper : right.Upper;
            return (0, upper);
        }

        return mask is null ? (null, null) : (0, mask);
    }

    private static long? Smaller(long? a, long? b) => a is { } x && b is { } y ? Math.Min(x, y) : a ?? b;

    // Math.Abs would throw on long.MinValue, the lower bound of every long from content.
    private static long? Sum(long? a, long? b) =>
        a is { } x && b is { } y && x is > -(1L << 62) and < (1L << 62) && y is > -(1L << 62) and < (1L << 62) ? x + y : null;

    private static long? Negate(long? a) => a is { } x && x != long.MinValue ? -x : null;
}
