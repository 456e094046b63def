using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// The flow state's sharing rules, which the engine's cost rests on: a join that changes nothing gives back the same
/// state (so "changed?" is a reference test), the state a block's first change made is changed in place after that, and a
/// frozen or published state is never changed by what is derived from it.
/// </summary>
public class FlowStateTests
{
    private static FlowState State(params (string Key, ValueFact Fact)[] facts) =>
        facts.Aggregate(FlowState.Empty, (state, fact) => state.Assign(fact.Key, fact.Fact));

    [Fact]
    public void Join_WithNarrowerFacts_ReturnsSameState()
    {
        var wide = State(("count", ValueFact.Range(0, 100)), ("offset", ValueFact.Source("Read", 0, null)));
        var narrow = State(("count", ValueFact.Range(5, 10)), ("offset", ValueFact.Source("Read", 3, null)));

        Assert.Same(wide, wide.Join(narrow));
    }

    [Fact]
    public void Join_WithWiderFact_ReturnsNewStateAndLeavesBothAlone()
    {
        var narrow = State(("count", ValueFact.Range(0, 100)), ("offset", ValueFact.Constant(0)));
        var wide = State(("count", ValueFact.Range(0, 200)), ("offset", ValueFact.Constant(0)));

        var joined = narrow.Join(wide);

        Assert.NotSame(narrow, joined);
        Assert.Equal(200, joined["count"]!.Upper);
        Assert.Equal(100, narrow["count"]!.Upper);
        Assert.Same(narrow["offset"], joined["offset"]);
    }

    [Fact]
    public void Join_WithKeyKnownOnOtherPathOnly_ReturnsNewState()
    {
        var one = State(("count", ValueFact.Range(0, 100)));
        var other = State(("count", ValueFact.Range(0, 100)), ("index", ValueFact.Constant(1)));

        var joined = one.Join(other);

        Assert.NotSame(one, joined);
        Assert.Equal(ValueFact.Unknown, joined["index"]);
        Assert.Null(one["index"]);
    }

    [Fact]
    public void ValueFactJoin_ReturnsSameFactOnlyWhenNothingIsLost()
    {
        var wide = ValueFact.Range(0, 100).Below("buffer");
        Assert.Same(wide, wide.Join(ValueFact.Range(1, 2).Below("buffer")));

        var joined = wide.Join(ValueFact.Range(1, 2));
        Assert.NotSame(wide, joined);
        Assert.Empty(joined.BelowLength);
        Assert.NotSame(wide, wide.Join(ValueFact.Source("Read", 1, 2).Below("buffer")));
    }

    [Fact]
    public void ClaimedState_IsChangedInPlace_AndThePublishedStateStaysAsItWas()
    {
        var published = State(("count", ValueFact.Range(0, 100)));

        var claimed = published.Assign("index", ValueFact.Constant(1)).Claim(published);
        var second = claimed.Refine("count", ValueFact.Range(0, 10));
        var third = second.Assign("offset", ValueFact.Constant(4));

        Assert.Same(claimed, second);
        Assert.Same(claimed, third);
        Assert.Equal(10, third["count"]!.Upper);
        Assert.Null(published["index"]);
        Assert.Null(published["offset"]);
        Assert.Equal(100, published["count"]!.Upper);
    }

    [Fact]
    public void PublishedState_IsNotClaimed_AndCopiedOnEveryChange()
    {
        var published = State(("count", ValueFact.Range(0, 100)));

        var changed = published.Claim(published).Assign("index", ValueFact.Constant(1));

        Assert.NotSame(published, changed);
        Assert.Null(published["index"]);
        Assert.NotSame(FlowState.Empty, FlowState.Empty.Claim(published).Assign("index", ValueFact.Constant(1)));
        Assert.Empty(FlowState.Empty.Facts);
    }

    [Fact]
    public void FrozenState_IsCopiedOnEveryChange()
    {
        var published = State(("count", ValueFact.Range(0, 100)));
        var frozen = published.Assign("index", ValueFact.Constant(1)).Claim(published).Freeze();

        var changed = frozen.Assign("index", ValueFact.Constant(2));

        Assert.NotSame(frozen, changed);
        Assert.Equal(1, frozen["index"]!.Lower);
        Assert.Equal(2, changed["index"]!.Lower);
    }

    [Fact]
    public void RefineAll_ChangesEveryMatchingKeyInOneNewState()
    {
        var state = State(("element 0", ValueFact.Range(0, 3)), ("element 1", ValueFact.Range(0, 3)), ("count", ValueFact.Range(0, 3)));

        var forgotten = state.RefineAll(static (key, prefix) => key is string name && name.StartsWith(prefix, StringComparison.Ordinal), "element", ValueFact.Unknown);

        Assert.Equal(ValueFact.Unknown, forgotten["element 0"]);
        Assert.Equal(ValueFact.Unknown, forgotten["element 1"]);
        Assert.Equal(3, forgotten["count"]!.Upper);
        Assert.Equal(3, state["element 0"]!.Upper);
        Assert.Same(forgotten, forgotten.RefineAll(static (key, prefix) => key is string name && name.StartsWith(prefix, StringComparison.Ordinal), "element", ValueFact.Unknown));
    }
}
