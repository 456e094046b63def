using Microsoft.CodeAnalysis;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The facts at one point of a method: one <see cref="ValueFact"/> per tracked key. Immutable once published: a change
/// copies the table (a flat copy of a few dozen entries costs less than the walks and rebuilds of a persistent tree,
/// which a profile of the solve showed to be its largest single cost). Within one block's transfer the first change
/// copies the block's entry state, and the engine then claims the copy (<see cref="Claim"/>): the block's later
/// changes are made in place, until the engine freezes it (<see cref="Freeze"/>) before the state is seen anywhere else.
/// </summary>
internal sealed class FlowState
{
    public static readonly FlowState Empty = new(new FactTable());

    private readonly FactTable facts;

    /// <summary>Changes are made in place: only the engine, within one block's transfer, holds this state.</summary>
    private bool open;

    private FlowState(FactTable facts) => this.facts = facts;

    public FactTable Facts => facts;

    public ValueFact? this[object key] => facts.TryGetValue(key, out var fact) ? fact : null;

    private FactTable Copy() => new(facts);

    /// <summary>
    /// The engine's claim on a state a transfer returned within one block: any state but the block's published entry
    /// state was made by the block's own changes and is held by nothing else, so the block's later changes to it are
    /// made in place. Every change copies and never mutates a state, so a new state is always a fresh table.
    /// </summary>
    public FlowState Claim(FlowState published)
    {
        if (!ReferenceEquals(this, published) && !ReferenceEquals(this, Empty))
        {
            open = true;
        }

        return this;
    }

    /// <summary>
    /// Ends the changes in place: this state may now be kept or changed two ways (the two branches of a condition), so
    /// every change from here on copies.
    /// </summary>
    public FlowState Freeze()
    {
        open = false;
        return this;
    }

    /// <summary>
    /// How many changes were made to this state in place: a state and its version name one set of facts, as a state
    /// object alone does where every change copies (a callback that remembers which state it saw keeps both).
    /// </summary>
    public int Version { get; private set; }

    /// <summary>The engine refines this frozen state two ways (a branch's condition): each change of it makes an open copy.</summary>
    private bool branching;

    /// <summary>
    /// Marks (or unmarks) this frozen state as refined two ways by the engine: a change of it is a copy that only that way
    /// holds, so the copy is open and that way's later changes are made in it (one copy per way, not one per fact).
    /// </summary>
    public void Branching(bool on)
    {
        if (!ReferenceEquals(this, Empty))
        {
            branching = on && !open;
        }
    }

    /// <summary>The state a change is written to: this one when it is open, else a copy.</summary>
    private FlowState Writable()
    {
        if (!open)
        {
            return new FlowState(Copy()) { open = branching };
        }

        Version++;
        return this;
    }

    /// <summary>
    /// Sets the fact of a key. The key's old value is gone, so the facts about the fields of it and the
    /// proofs that other values index it ("i is below a.Length") go too.
    /// </summary>
    public FlowState Assign(object key, ValueFact fact)
    {
        // What changes is collected first: an open state's table is the one being walked.
        List<object>? removed = null;
        List<KeyValuePair<object, ValueFact>>? narrowed = null;
        foreach (var entry in facts)
        {
            if ((entry.Key is FlowKey.MemberKey member && FlowKey.Comparer.Equals(member.Owner, key)) || FactKey.DependsOn(entry.Key, key)
                || (entry.Key is FlowKey.Query query && FactKey.Rooted(query.Owner, key)))
            {
                (removed ??= new()).Add(entry.Key);
            }
            else if (AnyMentions(entry.Value.BelowLength, key) || AnyMentions(entry.Value.AtMostLength, key))
            {
                (narrowed ??= new()).Add(new(entry.Key, new ValueFact(
                    entry.Value.Untrusted,
                    entry.Value.Origin,
                    entry.Value.Lower,
                    entry.Value.Upper,
                    WithoutMentions(entry.Value.BelowLength, key),
                    WithoutMentions(entry.Value.AtMostLength, key),
                    entry.Value.ConstantLength,
                    entry.Value.MinLength,
                    entry.Value.Trail)));
            }
        }

        if (removed is null && narrowed is null && facts.TryGetValue(key, out var same) && same.Equals(fact))
        {
            // Nothing depends on the key and it keeps its fact (a loop's second visit, a value stored again): no copy.
            return this;
        }

        var target = Writable();
        foreach (var gone in removed ?? Enumerable.Empty<object>())
        {
            target.facts.Remove(gone);
        }

        foreach (var entry in narrowed ?? Enumerable.Empty<KeyValuePair<object, ValueFact>>())
        {
            target.facts[entry.Key] = entry.Value;
        }

        target.facts[key] = fact;
        return target;
    }

    // Loops rather than LINQ: every assignment walks every fact, and a lambda over the key allocates on each call.
    private static bool AnyMentions(KeySet bounds, object key)
    {
        if (bounds.IsEmpty)
        {
            return false;
        }

        foreach (var bound in bounds)
        {
            if (Mentions(bound, key))
            {
                return true;
            }
        }

        return false;
    }

    private static KeySet WithoutMentions(KeySet bounds, object key)
    {
        var kept = FlowKey.EmptySet;
        foreach (var bound in bounds)
        {
            if (!Mentions(bound, key))
            {
                kept = kept.Add(bound);
            }
        }

        return kept;
    }

    private static bool Mentions(object bound, object key) => bound switch
    {
        FlowKey.Remainder remainder => remainder.Mentions(key),
        FlowKey.Shortened shortened => FlowKey.Comparer.Equals(shortened.Buffer, key),
        FlowKey.Allocated allocated => FlowKey.Comparer.Equals(allocated.Buffer, key),
        _ => FlowKey.Comparer.Equals(bound, key),
    };

    /// <summary>Drops the facts of flow captures that are no longer live: of them, their members, and facts about either.</summary>
    public FlowState Forget(ImmutableArray<Microsoft.CodeAnalysis.FlowAnalysis.CaptureId> captures)
    {
        if (captures.IsEmpty)
        {
            return this;
        }

        List<object>? removed = null;
        foreach (var entry in facts)
        {
            if (RootOf(entry.Key) is Microsoft.CodeAnalysis.FlowAnalysis.CaptureId id && captures.Contains(id))
            {
                (removed ??= new()).Add(entry.Key);
            }
        }

        if (removed is null)
        {
            return this;
        }

        var target = Writable();
        foreach (var gone in removed)
        {
            target.facts.Remove(gone);
        }

        return target;
    }

    /// <summary>The facts of everything but flow captures.</summary>
    public FlowState WithoutCaptures()
    {
        var captures = facts.Keys.Select(RootOf).OfType<Microsoft.CodeAnalysis.FlowAnalysis.CaptureId>().Distinct().ToImmutableArray();
        return Forget(captures);
    }

    private static object RootOf(object key)
    {
        key = key is FactKey fact ? fact.Of : key;
        return key is FlowKey.MemberKey member ? Owner(member) : key;
    }

    private static object Owner(FlowKey.MemberKey member) => member.Owner is FlowKey.MemberKey inner ? Owner(inner) : member.Owner;

    /// <summary>Replaces what is known of a key without touching the others (a refinement, not a new value).</summary>
    public FlowState Refine(object key, ValueFact fact)
    {
        if (facts.TryGetValue(key, out var known) && known.Equals(fact))
        {
            return this;
        }

        var target = Writable();
        target.facts[key] = fact;
        return target;
    }

    /// <summary>
    /// Replaces what is known of every key <paramref name="matches"/> picks with <paramref name="fact"/>, in one change
    /// (one copy at most).
    /// </summary>
    public FlowState RefineAll<TArgument>(Func<object, TArgument, bool> matches, TArgument argument, ValueFact fact)
    {
        List<object>? changed = null;
        foreach (var entry in facts)
        {
            if (matches(entry.Key, argument) && !entry.Value.Equals(fact))
            {
                (changed ??= new()).Add(entry.Key);
            }
        }

        if (changed is null)
        {
            return this;
        }

        var target = Writable();
        foreach (var key in changed)
        {
            target.facts[key] = fact;
        }

        return target;
    }

    /// <summary>The same facts without the given keys.</summary>
    public FlowState Without(IEnumerable<object> keys)
    {
        var target = Writable();
        foreach (var key in keys)
        {
            target.facts.Remove(key);
        }

        return target;
    }

    /// <summary>
    /// The facts that hold after two paths merge: this same state when the join changes none of its facts. The context
    /// says what a field of <c>this</c> held on a path that never assigned it (<see cref="FieldSources"/>).
    /// </summary>
    public FlowState Join(FlowState other, FlowContext? context = null)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        FactTable? builder = null;
        var guarded = false;
        foreach (var entry in facts)
        {
            guarded |= entry.Key is FactKey { Kind: FactKey.Contained or FactKey.ContainedWhen or FactKey.Infeasible };

            // A key known on one path only: on the other it kept whatever it had before, which is unknown here.
            var joined = other.facts.TryGetValue(entry.Key, out var theirs) ? entry.Value.Join(theirs) : entry.Value.Join(Before(entry.Key, context));
            if (!ReferenceEquals(joined, entry.Value))
            {
                (builder ??= Copy())[entry.Key] = joined;
            }
        }

        foreach (var entry in other.facts)
        {
            guarded |= entry.Key is FactKey { Kind: FactKey.Contained or FactKey.ContainedWhen or FactKey.Infeasible };
            if (!facts.ContainsKey(entry.Key))
            {
                (builder ??= Copy())[entry.Key] = entry.Value.Join(Before(entry.Key, context));
            }
        }

        if (guarded)
        {
            // A containment proved on one path only is kept under the condition that tells the paths apart (Truths).
            var result = builder ?? Copy();
            Truths.Join(facts, other.facts, result);
            builder = builder is null && SameFacts(result, facts) ? null : result;
        }

        return builder is null ? this : new FlowState(builder);
    }

    /// <summary>What a key held on a path that never assigned it: untrusted when it is an untrusted parameter or field.</summary>
    private static ValueFact Before(object key, FlowContext? context) => key switch
    {
        IParameterSymbol parameter when Annotations.IsUntrustedParameter(parameter) => Evaluator.ParameterSource(parameter),
        IParameterSymbol parameter when context?.Summaries.Documents.Of(parameter, context.CancellationToken) is { } document => document,
        IFieldSymbol field when Annotations.Has(field, Annotations.UntrustedContent) => ValueFact.Source($"field '{field.Name}'", null, null),
        IFieldSymbol field when context?.Summaries.Fields.Of(field, context.CancellationToken) is { } stored => stored,
        // On every path, and never negative (so a path that tested s.Length > 0 and one that replaced s join to a length of 0 or more).
        FlowKey.MemberKey { Field.Name: "Length" or "Count" } length => ValueFact.Range(0, int.MaxValue).AtMost(length.Owner),
        FlowKey.MemberKey { Field.Name: "LongLength" } length => ValueFact.Range(0, null).AtMost(length.Owner),
        _ => ValueFact.Unknown,
    };

    public FlowState Widen(FlowState next)
    {
        if (ReferenceEquals(this, next))
        {
            return this;
        }

        // A copy only when some fact widens: at most loop heads nothing does, and the state stays the one the join made.
        FactTable? builder = null;
        foreach (var entry in next.facts)
        {
            if (facts.TryGetValue(entry.Key, out var previous) && previous.Widen(entry.Value) is var widened && !ReferenceEquals(widened, entry.Value))
            {
                (builder ??= next.Copy())[entry.Key] = widened;
            }
        }

        return builder is null ? next : new FlowState(builder);
    }

    private static bool SameFacts(FactTable a, FactTable b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var fact) && fact.Equals(entry.Value));

    public bool SameAs(FlowState other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (facts.Count != other.facts.Count)
        {
            return false;
        }

        foreach (var entry in facts)
        {
            if (!other.facts.TryGetValue(entry.Key, out var fact) || !fact.Equals(entry.Value))
            {
                return false;
            }
        }

        return true;
    }
}
