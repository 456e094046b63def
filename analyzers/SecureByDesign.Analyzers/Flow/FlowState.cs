using Microsoft.CodeAnalysis;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>The facts at one point of a method: one <see cref="ValueFact"/> per tracked key. Immutable.</summary>
internal sealed class FlowState
{
    public static readonly FlowState Empty = new(ImmutableDictionary.Create<object, ValueFact>(FlowKey.Comparer));

    private FlowState(ImmutableDictionary<object, ValueFact> facts) => Facts = facts;

    public ImmutableDictionary<object, ValueFact> Facts { get; }

    public ValueFact? this[object key] => Facts.TryGetValue(key, out var fact) ? fact : null;

    /// <summary>
    /// Sets the fact of a key. The key's old value is gone, so the facts about the fields of it and the
    /// proofs that other values index it ("i is below a.Length") go too.
    /// </summary>
    public FlowState Assign(object key, ValueFact fact)
    {
        var builder = Facts.ToBuilder();
        foreach (var entry in Facts)
        {
            if ((entry.Key is FlowKey.MemberKey member && FlowKey.Comparer.Equals(member.Owner, key)) || FactKey.DependsOn(entry.Key, key))
            {
                builder.Remove(entry.Key);
            }
            else if (entry.Value.BelowLength.Any(bound => Mentions(bound, key)) || entry.Value.AtMostLength.Any(bound => Mentions(bound, key)))
            {
                builder[entry.Key] = new ValueFact(
                    entry.Value.Untrusted,
                    entry.Value.Origin,
                    entry.Value.Lower,
                    entry.Value.Upper,
                    entry.Value.BelowLength.Where(bound => !Mentions(bound, key)).Aggregate(FlowKey.EmptySet, (set, bound) => set.Add(bound)),
                    entry.Value.AtMostLength.Where(bound => !Mentions(bound, key)).Aggregate(FlowKey.EmptySet, (set, bound) => set.Add(bound)),
                    entry.Value.ConstantLength,
                    entry.Value.MinLength,
                    entry.Value.Trail);
            }
        }

        builder[key] = fact;
        return new FlowState(builder.ToImmutable());
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

        var builder = Facts.ToBuilder();
        foreach (var entry in Facts)
        {
            if (RootOf(entry.Key) is Microsoft.CodeAnalysis.FlowAnalysis.CaptureId id && captures.Contains(id))
            {
                builder.Remove(entry.Key);
            }
        }

        return builder.Count == Facts.Count ? this : new FlowState(builder.ToImmutable());
    }

    /// <summary>The facts of everything but flow captures.</summary>
    public FlowState WithoutCaptures()
    {
        var captures = Facts.Keys.Select(RootOf).OfType<Microsoft.CodeAnalysis.FlowAnalysis.CaptureId>().Distinct().ToImmutableArray();
        return Forget(captures);
    }

    private static object RootOf(object key)
    {
        key = key is FactKey fact ? fact.Of : key;
        return key is FlowKey.MemberKey member ? Owner(member) : key;
    }

    private static object Owner(FlowKey.MemberKey member) => member.Owner is FlowKey.MemberKey inner ? Owner(inner) : member.Owner;

    /// <summary>Replaces what is known of a key without touching the others (a refinement, not a new value).</summary>
    public FlowState Refine(object key, ValueFact fact) => new(Facts.SetItem(key, fact));

    public FlowState Join(FlowState other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var builder = Facts.ToBuilder();
        foreach (var entry in Facts)
        {
            // A key known on one path only: on the other it kept whatever it had before, which is unknown here.
            builder[entry.Key] = other.Facts.TryGetValue(entry.Key, out var theirs) ? entry.Value.Join(theirs) : entry.Value.Join(Before(entry.Key));
        }

        foreach (var entry in other.Facts)
        {
            if (!Facts.ContainsKey(entry.Key))
            {
                builder[entry.Key] = entry.Value.Join(Before(entry.Key));
            }
        }

        return new FlowState(builder.ToImmutable());
    }

    /// <summary>What a key held on a path that never assigned it: untrusted when it is an untrusted parameter or field.</summary>
    private static ValueFact Before(object key) => key switch
    {
        IParameterSymbol parameter when Annotations.IsUntrustedParameter(parameter) => Evaluator.ParameterSource(parameter),
        IFieldSymbol field when Annotations.Has(field, Annotations.UntrustedContent) => ValueFact.Source($"field '{field.Name}'", null, null),
        FlowKey.MemberKey { Field.Name: "Length" or "Count" or "LongLength" } length => ValueFact.Unknown.AtMost(length.Owner), // on every path
        _ => ValueFact.Unknown,
    };

    public FlowState Widen(FlowState next)
    {
        var builder = next.Facts.ToBuilder();
        foreach (var entry in next.Facts)
        {
            if (Facts.TryGetValue(entry.Key, out var previous))
            {
                builder[entry.Key] = previous.Widen(entry.Value);
            }
        }

        return new FlowState(builder.ToImmutable());
    }

    public bool SameAs(FlowState other) =>
        Facts.Count == other.Facts.Count && Facts.All(entry => other.Facts.TryGetValue(entry.Key, out var fact) && fact.Equals(entry.Value));
}
