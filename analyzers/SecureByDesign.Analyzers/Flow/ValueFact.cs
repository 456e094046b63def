using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What the engine knows about one value: whether it is untrusted and where it came from, the range it
/// is proven to lie in, and the buffers it is proven to index safely (less than their length). Immutable.
/// </summary>
internal sealed class ValueFact : IEquatable<ValueFact>
{
    public static readonly ValueFact Unknown = new(false, null, null, null, FlowKey.EmptySet, FlowKey.EmptySet, null);

    public ValueFact(bool untrusted, string? origin, long? lower, long? upper, KeySet belowLength, KeySet atMostLength, int? constantLength, int? minLength = null, UpdateTrail? trail = null, bool upperOnly = false)
    {
        UpperOnly = untrusted && upperOnly;
        MinLength = minLength;
        Trail = trail;
        Untrusted = untrusted;
        Origin = origin;
        Lower = lower;
        Upper = upper;
        BelowLength = belowLength;
        AtMostLength = atMostLength;
        ConstantLength = constantLength;
    }

    /// <summary>The value came from a taint source (or from one through propagation).</summary>
    public bool Untrusted { get; }

    /// <summary>
    /// Untrusted only in how high it goes: a value of the code's own, compared with a bound the content chose
    /// (<c>if (word &gt;= size) return;</c> with <c>size</c> read). How low it goes is the code's business, not the content's.
    /// </summary>
    public bool UpperOnly { get; }

    /// <summary>Where it came from, for messages: "BinaryReader.ReadInt32 (line 12)".</summary>
    public string? Origin { get; }

    /// <summary>Proven lower bound, inclusive.</summary>
    public long? Lower { get; }

    /// <summary>Proven upper bound, inclusive.</summary>
    public long? Upper { get; }

    /// <summary>Buffers (flow keys) whose Length or Count the value is proven to be less than.</summary>
    public KeySet BelowLength { get; }

    /// <summary>Buffers the value is only proven to be at most the length of: one short.</summary>
    public KeySet AtMostLength { get; }

    /// <summary>For an array or span: its length, when it is a known constant.</summary>
    public int? ConstantLength { get; }

    /// <summary>For an array, list or span: the fewest elements it is proven to have (a split string has at least one).</summary>
    public int? MinLength { get; }

    /// <summary>For update validation: the network download the value comes from, and whether a signature check of it passed.</summary>
    public UpdateTrail? Trail { get; }

    /// <summary>The fewest elements the buffer is known to have: its constant length, or its proven minimum.</summary>
    public int FewestElements => ConstantLength ?? MinLength ?? 0;

    public static ValueFact Source(string origin, long? lower, long? upper) =>
        new(true, origin, lower, upper, FlowKey.EmptySet, FlowKey.EmptySet, null);

    public static ValueFact Range(long? lower, long? upper) =>
        new(false, null, lower, upper, FlowKey.EmptySet, FlowKey.EmptySet, null);

    public static ValueFact Constant(long value) =>
        value is >= SmallestShared and <= LargestShared ? SharedConstants[value - SmallestShared] : Range(value, value);

    // The constants most code compares with and steps by (-1 to 256): one shared fact each instead of one per evaluation.
    private const long SmallestShared = -1;
    private const long LargestShared = 256;
    private static readonly ValueFact[] SharedConstants = Enumerable.Range((int)SmallestShared, (int)(LargestShared - SmallestShared + 1))
        .Select(value => Range(value, value)).ToArray();

    public static ValueFact Buffer(int length) =>
        new(false, null, null, null, FlowKey.EmptySet, FlowKey.EmptySet, length);

    public bool IsNonNegative => Lower is >= 0;

    /// <summary>Not negative, or untrusted only in how high it goes: the content cannot make it negative.</summary>
    public bool LowerIsOwn => IsNonNegative || UpperOnly;

    // The changes below return this same instance when they change nothing: facts are compared by value, and the
    // evaluator asks for most of them (a type's range, the taint of an operand) of values they already hold.
    public ValueFact WithUntrusted(bool untrusted, string? origin) =>
        untrusted == Untrusted && (untrusted ? origin : null) == Origin
            ? this
            : new(untrusted, untrusted ? origin : null, Lower, Upper, BelowLength, AtMostLength, ConstantLength, MinLength, Trail);

    public ValueFact WithRange(long? lower, long? upper) =>
        lower == Lower && upper == Upper ? this : new(Untrusted, Origin, lower, upper, BelowLength, AtMostLength, ConstantLength, MinLength, Trail, UpperOnly);

    public ValueFact WithMinLength(int? minLength) =>
        minLength == MinLength ? this : new(Untrusted, Origin, Lower, Upper, BelowLength, AtMostLength, ConstantLength, minLength, Trail, UpperOnly);

    /// <summary>This value, untrusted only in how high it goes (<see cref="UpperOnly"/>), with the origin of the bound that made it so.</summary>
    public ValueFact BoundedBy(string? origin) =>
        Untrusted ? this : new(true, origin, Lower, Upper, BelowLength, AtMostLength, ConstantLength, MinLength, Trail, upperOnly: true);

    /// <summary>This untrusted value, untrusted only in how high it goes (<see cref="UpperOnly"/>): a step up of such a value.</summary>
    public ValueFact AsUpperOnly() =>
        !Untrusted || UpperOnly ? this : new(true, Origin, Lower, Upper, BelowLength, AtMostLength, ConstantLength, MinLength, Trail, upperOnly: true);

    public ValueFact WithLower(long lower) => WithRange(Lower is { } l ? Math.Max(l, lower) : lower, Upper);

    public ValueFact WithUpper(long upper) => WithRange(Lower, Upper is { } u ? Math.Min(u, upper) : upper);

    public ValueFact Below(object buffer) =>
        BelowLength.Contains(buffer) && !AtMostLength.Contains(buffer)
            ? this
            : new(Untrusted, Origin, Lower, Upper, BelowLength.Add(buffer), AtMostLength.Remove(buffer), ConstantLength, MinLength, Trail, UpperOnly);

    public ValueFact AtMost(object buffer) =>
        BelowLength.Contains(buffer) || AtMostLength.Contains(buffer) ? this : new(Untrusted, Origin, Lower, Upper, BelowLength, AtMostLength.Add(buffer), ConstantLength, MinLength, Trail, UpperOnly);

    /// <summary>
    /// How many elements of <paramref name="buffer"/> are proven to exist from this value on: 0 when nothing is known,
    /// 1 when it is below the length, n when it is at most <c>Length - n</c>. The lower bound is not part of it.
    /// </summary>
    public long RoomIn(object buffer)
    {
        var room = BelowLength.Contains(buffer) ? 1L : 0L;
        foreach (var bound in BelowLength.Concat(AtMostLength))
        {
            if (bound is FlowKey.Shortened shortened && FlowKey.Comparer.Equals(shortened.Buffer, buffer))
            {
                room = Math.Max(room, BelowLength.Contains(bound) ? shortened.Amount + 1 : shortened.Amount);
            }
        }

        return room;
    }

    public ValueFact WithTrail(UpdateTrail? trail) =>
        ReferenceEquals(trail, Trail) ? this : new(Untrusted, Origin, Lower, Upper, BelowLength, AtMostLength, ConstantLength, MinLength, trail, UpperOnly);

    /// <summary>This value's bounds with the taint of <paramref name="other"/>: what a value derived from it carries.</summary>
    public ValueFact TaintedLike(ValueFact other) =>
        !other.Untrusted && other.Trail is null && !Untrusted && Origin is null && Trail is null
            ? this
            : new(other.Untrusted, other.Untrusted ? other.Origin : null, Lower, Upper, BelowLength, AtMostLength, ConstantLength, MinLength, other.Trail?.Derived());

    /// <summary>A value that was validated by a content validator: trusted from here on.</summary>
    public ValueFact Validated() =>
        !Untrusted && Origin is null ? this : new(false, null, Lower, Upper, BelowLength, AtMostLength, ConstantLength, MinLength, Trail);

    /// <summary>
    /// The least fact true of both: what holds after two paths merge. This same instance when the join is equal to it,
    /// so a state whose facts a join does not change stays the same object (and the engine's "changed?" test is cheap).
    /// </summary>
    public ValueFact Join(ValueFact other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var untrusted = Untrusted || other.Untrusted;
        var origin = Untrusted ? Origin : other.Origin;
        long? lower = Lower is { } a && other.Lower is { } b ? Math.Min(a, b) : null;
        long? upper = Upper is { } c && other.Upper is { } d ? Math.Max(c, d) : null;
        KeySet below, atMost;
        if (ReferenceEquals(BelowLength, other.BelowLength) && ReferenceEquals(AtMostLength, other.AtMostLength) && !AtMostLength.Overlaps(BelowLength))
        {
            // The same bounds on both paths (most joins): the sets the general case would build equal these.
            below = BelowLength;
            atMost = AtMostLength;
        }
        else
        {
            below = BelowLength.IsEmpty || other.BelowLength.IsEmpty ? FlowKey.EmptySet : BelowLength.Intersect(other.BelowLength);
            atMost = (AtMostLength.IsEmpty && BelowLength.IsEmpty) || (other.AtMostLength.IsEmpty && other.BelowLength.IsEmpty)
                ? FlowKey.EmptySet
                : AtMostLength.Union(BelowLength).Intersect(other.AtMostLength.Union(other.BelowLength)).Except(below);
        }

        // new T[count] on one path (count uncapped: allocated), count <= cache.Length on the other: allocated on both.
        atMost = Allocations(this, other, atMost);
        atMost = Allocations(other, this, atMost);

        // end = 0 before a loop that adds what each read stored: 0 is at most any length, so the other path's bounds hold.
        atMost = IsZero && !other.IsZero ? WithLengthsOf(other, atMost, below) : other.IsZero && !IsZero ? WithLengthsOf(this, atMost, below) : atMost;
        int? constantLength = ConstantLength == other.ConstantLength ? ConstantLength : null;
        int? minLength = Math.Min(FewestElements, other.FewestElements) is > 0 and var fewest ? fewest : null;
        var trail = UpdateTrail.Join(Trail, other.Trail);
        // Untrusted only in how high it goes when no untrusted side can be made negative by the content (it is not
        // negative, or is the code's own below a bound the content chose), and a side is so or the joined value may be
        // negative: a negative value then comes from the code's own side (n < buf.Length ? n : buf.Length, with n a
        // parameter). Kept once a side has it, so that widening a loop's lower bound away does not lose it.
        var upperOnly = untrusted && (UpperOnly || other.UpperOnly || lower is not >= 0) && (!Untrusted || LowerIsOwn) && (!other.Untrusted || other.LowerIsOwn);
        if (untrusted == Untrusted && origin == Origin && lower == Lower && upper == Upper && constantLength == ConstantLength
            && minLength == MinLength && Equals(trail, Trail) && below.SetEquals(BelowLength) && atMost.SetEquals(AtMostLength) && upperOnly == UpperOnly)
        {
            return this;
        }

        return new ValueFact(untrusted, origin, lower, upper, below, atMost, constantLength, minLength, trail, upperOnly);
    }

    private bool IsZero => Lower == 0 && Upper == 0;

    /// <summary>
    /// An allocated size on <paramref name="side"/> whose array <paramref name="other"/> is below or at most: the weaker
    /// relation holds on both paths, added to <paramref name="atMost"/>.
    /// </summary>
    private static KeySet Allocations(ValueFact side, ValueFact other, KeySet atMost)
    {
        foreach (var key in side.AtMostLength)
        {
            if (key is FlowKey.Allocated allocated && !atMost.Contains(key)
                && (other.AtMostLength.Contains(allocated.Buffer) || other.BelowLength.Contains(allocated.Buffer) || other.AtMostLength.Contains(key)))
            {
                atMost = atMost.Add(key);
            }
        }

        return atMost;
    }

    /// <summary>The lengths <paramref name="side"/> is below or at most (not a remainder or a shortened length, which can be negative), added to <paramref name="atMost"/>.</summary>
    private static KeySet WithLengthsOf(ValueFact side, KeySet atMost, KeySet below)
    {
        foreach (var key in side.AtMostLength.Concat(side.BelowLength))
        {
            if (key is not (FlowKey.Remainder or FlowKey.Shortened) && !below.Contains(key))
            {
                atMost = atMost.Add(key);
            }
        }

        return atMost;
    }

    /// <summary>Drops the bounds that changed between two visits of a loop head, so loops converge.</summary>
    public ValueFact Widen(ValueFact next) => ReferenceEquals(this, next) || WidensNothing(next) ? next : new(
        next.Untrusted,
        next.Origin,
        Lower == next.Lower ? Lower : null,
        Upper == next.Upper ? Upper : null,
        next.BelowLength,
        next.AtMostLength,
        next.ConstantLength,
        MinLength == next.MinLength ? MinLength : null,
        next.Trail,
        next.UpperOnly);

    /// <summary>Whether widening toward <paramref name="next"/> keeps it as it is: the bounds it shares with this one.</summary>
    private bool WidensNothing(ValueFact next) =>
        (next.Lower is null || Lower == next.Lower) && (next.Upper is null || Upper == next.Upper) && (next.MinLength is null || MinLength == next.MinLength);

    public bool Equals(ValueFact? other) =>
        other is not null
        && Untrusted == other.Untrusted
        && UpperOnly == other.UpperOnly
        && Origin == other.Origin
        && Lower == other.Lower
        && Upper == other.Upper
        && ConstantLength == other.ConstantLength
        && MinLength == other.MinLength
        && Equals(Trail, other.Trail)
        && BelowLength.SetEquals(other.BelowLength)
        && AtMostLength.SetEquals(other.AtMostLength);

    public override bool Equals(object? obj) => Equals(obj as ValueFact);

    public override int GetHashCode() => (Untrusted, Lower, Upper, ConstantLength, BelowLength.Count).GetHashCode();
}
