using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// The flat tables the flow state is made of: a fact table keeps the first-set order of its keys through changes and
/// removals, and a copy is independent of its source; a key set compares its keys as the engine's keys compare, and
/// gives back the same set when an operation changes nothing.
/// </summary>
public class FactTableTests
{
    [Fact]
    public void FactTable_SetsReplacesAndRemoves_InFirstSetOrder()
    {
        var table = new FactTable();
        table["a"] = ValueFact.Constant(1);
        table["b"] = ValueFact.Constant(2);
        table["c"] = ValueFact.Constant(3);
        table["a"] = ValueFact.Constant(4);

        Assert.True(table.Remove("b"));
        Assert.False(table.Remove("b"));

        Assert.Equal(new object[] { "a", "c" }, table.Keys.ToArray());
        Assert.Equal(4, table["a"].Lower);
        Assert.False(table.ContainsKey("b"));
        Assert.False(table.TryGetValue("b", out _));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void FactTable_Copy_IsIndependentOfItsSource()
    {
        var source = new FactTable();
        source["count"] = ValueFact.Range(0, 10);

        var copy = new FactTable(source);
        copy["count"] = ValueFact.Range(0, 20);
        copy["index"] = ValueFact.Constant(1);

        Assert.Equal(10, source["count"].Upper);
        Assert.False(source.ContainsKey("index"));
        Assert.Equal(20, copy["count"].Upper);
        Assert.Equal(2, copy.Count);
    }

    [Fact]
    public void FactTable_GrowsPastItsFirstRoom()
    {
        var table = new FactTable();
        for (var i = 0; i < 100; i++)
        {
            table[$"key{i}"] = ValueFact.Constant(i);
        }

        Assert.Equal(100, table.Count);
        Assert.Equal(57, table["key57"].Lower);
        Assert.Equal(100, table.Count());
    }

    [Fact]
    public void KeySet_ComparesAsKeysCompare_AndKeepsItselfWhenNothingChanges()
    {
        var set = KeySet.Empty.Add("buffer").Add(new FlowKey.Shortened("buffer", 4));

        Assert.Same(set, set.Add(new FlowKey.Shortened("buffer", 4)));
        Assert.Same(set, set.Remove("other"));
        Assert.Same(set, set.Union(new object[] { "buffer" }));
        Assert.Same(set, set.Except(KeySet.Empty));
        Assert.True(set.Contains(new FlowKey.Shortened("buffer", 4)));
        Assert.False(set.Contains(new FlowKey.Shortened("buffer", 2)));
    }

    [Fact]
    public void KeySet_SetOperations()
    {
        var ab = KeySet.Of(new object[] { "a", "b" });
        var bc = KeySet.Of(new object[] { "b", "c", "b" });

        Assert.Equal(2, bc.Count);
        Assert.Equal(new object[] { "b" }, ab.Intersect(bc).ToArray());
        Assert.Equal(new object[] { "a" }, ab.Except(bc).ToArray());
        Assert.True(ab.Union(bc).SetEquals(KeySet.Of(new object[] { "c", "b", "a" })));
        Assert.True(ab.Overlaps(bc));
        Assert.False(ab.Overlaps(KeySet.Of(new object[] { "c" })));
        Assert.Same(KeySet.Empty, ab.Remove("a").Remove("b"));
        Assert.True(ab.Intersect(KeySet.Empty).IsEmpty);
    }
}
