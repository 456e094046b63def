using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What holds at the entry of a private method because of what its callers tested: "one of these cases", each case a
/// set of truths of its parameters' properties (<see cref="CallerTests"/>). Kept under a <see cref="FactKey.OneOf"/>
/// key until the parameter is assigned or given to a call that may change it. Each test the method makes rules out the
/// cases it contradicts: a truth every remaining case has is learned, and a path where no case remains cannot run
/// (<see cref="FactKey.Infeasible"/>): on it every path is contained, and where it merges with a path that can run, the
/// truths and containment of the other path are kept as they are.
/// </summary>
internal static partial class Truths
{
    /// <summary>How deep one test's consequences are followed (each step learns a truth not known before).</summary>
    private const int MaxEntailments = 4;

    private static readonly FactKey NoPath = new(FactKey.Infeasible, typeof(Truths));

    /// <summary>"One of these sets of truths holds": the cases a private method's callers call it in.</summary>
    internal sealed record Cases(ImmutableArray<ImmutableHashSet<Atom>> Each)
    {
        public bool Equals(Cases? other) => other is not null && Each.Length == other.Each.Length && Each.Zip(other.Each, (a, b) => a.SetEquals(b)).All(same => same);

        public override int GetHashCode() => Each.Aggregate(Each.Length, (hash, atoms) => atoms.Aggregate(hash * 31, (inner, atom) => inner ^ atom.GetHashCode()));

        public bool Mentions(object assigned) => Each.Any(atoms => atoms.Any(atom => FactKey.Rooted(atom.Key, assigned)));
    }

    /// <summary>The entry state of a method with the cases its callers call it in, and what every case has in common.</summary>
    public static FlowState Entered(Cases cases, FlowState state)
    {
        state = state.Refine(new FactKey(FactKey.OneOf, cases), ValueFact.Constant(1));
        return cases.Each.IsEmpty ? state : Entailed(cases.Each[0].First().Key, state, 0);
    }

    /// <summary>True on a path that cannot run: it contradicts every case its method is called in.</summary>
    public static bool IsInfeasible(FlowState state) => state[NoPath] is { Lower: 1 };

    /// <summary>
    /// After a test of <paramref name="atom"/>: the cases that mention it and still agree with the known truths; none
    /// left makes the path infeasible, and a truth all of them share is learned.
    /// </summary>
    private static FlowState Entailed(object atom, FlowState state, int depth)
    {
        if (depth >= MaxEntailments || IsInfeasible(state))
        {
            return state;
        }

        List<Cases>? relevant = null;
        foreach (var entry in state.Facts)
        {
            if (entry.Key is FactKey { Kind: FactKey.OneOf, Of: Cases cases } && entry.Value.Lower is not null
                && cases.Each.Any(atoms => atoms.Any(held => FlowKey.Comparer.Equals(held.Key, atom))))
            {
                (relevant ??= new()).Add(cases);
            }
        }

        foreach (var cases in relevant ?? Enumerable.Empty<Cases>())
        {
            var left = cases.Each.Where(atoms => !atoms.Any(held => Known(state, held.Key) == !held.Value)).ToList();
            if (left.Count == 0)
            {
                return state.Refine(NoPath, ValueFact.Constant(1));
            }

            foreach (var shared in left[0].Where(held => Known(state, held.Key) is null && left.All(atoms => atoms.Contains(held))).ToList())
            {
                state = Learn(shared.Key, shared.Value, state, depth + 1);
            }
        }

        return state;
    }

    private static bool? Known(FlowState state, object atom) =>
        state[TruthKey(atom)] is { Lower: { } lower, Upper: { } upper } && lower == upper ? lower != 0 : null;

    /// <summary>
    /// Where a path that cannot run merges with one that can: the truths, cases and containment of the one that can,
    /// unchanged. False (nothing done) unless exactly one of the two is infeasible.
    /// </summary>
    private static bool JoinInfeasible(IReadOnlyDictionary<object, ValueFact> first, IReadOnlyDictionary<object, ValueFact> second, FactTable result)
    {
        static bool Dead(IReadOnlyDictionary<object, ValueFact> facts) => facts.TryGetValue(NoPath, out var fact) && fact.Lower == 1;
        var firstDead = Dead(first);
        if (firstDead == Dead(second))
        {
            return false;
        }

        static bool Related(object key) => key is FactKey { Kind: FactKey.Contained or FactKey.ContainedWhen or FactKey.Truth or FactKey.OneOf or FactKey.Infeasible };
        foreach (var key in result.Keys.Where(Related).ToList())
        {
            result.Remove(key);
        }

        foreach (var entry in firstDead ? second : first)
        {
            if (Related(entry.Key))
            {
                result[entry.Key] = entry.Value;
            }
        }

        return true;
    }
}
