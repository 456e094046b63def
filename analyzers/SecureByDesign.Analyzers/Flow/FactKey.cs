namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The key of a fact about a storage location other than its value: whether it may be null
/// (<see cref="NullStates"/>), whether it was checked to lie under a root directory (<see cref="PathContainment"/>).
/// Such a fact lives in the state like any other, so joins and widening apply to it, and it goes when the
/// location it is about (or the location that location is a member of) is assigned.
/// </summary>
internal sealed record FactKey(string Kind, object Of)
{
    public const string Null = "null";
    public const string Contained = "contained";
    public const string Truth = "truth";
    public const string ContainedWhen = "contained-when";
    public const string OneOf = "one-of";
    public const string Infeasible = "infeasible";

    /// <summary>The fewest elements a buffer was shown to have by reading one at a constant index (<see cref="Accesses"/>).</summary>
    public const string Reached = "reached";

    /// <summary>The buffers an index was used on without throwing, so that it is in range of them until it changes (<see cref="Accesses"/>).</summary>
    public const string InRange = "in-range";

    public bool Equals(FactKey? other) => other is not null && Kind == other.Kind && FlowKey.Comparer.Equals(Of, other.Of);

    public override int GetHashCode() => (Kind, FlowKey.Comparer.GetHashCode(Of)).GetHashCode();

    /// <summary>True when the key is a fact about <paramref name="assigned"/> or about a member path rooted in it.</summary>
    public static bool DependsOn(object key, object assigned) =>
        key is FactKey fact && fact.Of switch
        {
            Truths.Guard guard => guard.Mentions(assigned),
            Truths.Cases cases => cases.Mentions(assigned),
            _ => Rooted(fact.Of, assigned),
        };

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or a member path under it (<c>root.A.B</c>).</summary>
    public static bool Rooted(object path, object root) =>
        FlowKey.Comparer.Equals(path, root) || (path is FlowKey.MemberKey member && Rooted(member.Owner, root));
}
