using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// A value untrusted only in how high it goes (the code's own, compared with a count the content chose) keeps that
/// through the joins and steps of a loop, and loses it when joined with content that may be negative.
/// </summary>
public class UpperOnlyTests
{
    [Fact]
    public void BoundedBy_MakesTheCodesOwnValueUntrustedInItsUpperEndOnly()
    {
        var own = ValueFact.Range(null, null).BoundedBy("BinaryReader.ReadInt32 (line 3)");

        Assert.True(own.Untrusted);
        Assert.True(own.UpperOnly);
        Assert.Equal("BinaryReader.ReadInt32 (line 3)", own.Origin);
        Assert.True(own.WithUpper(9).UpperOnly);
        Assert.True(own.AsUpperOnly().UpperOnly);
    }

    [Fact]
    public void Join_WithTrustedOrNonNegativeContent_KeepsIt_WithContentThatMayBeNegative_LosesIt()
    {
        var own = ValueFact.Range(null, null).BoundedBy("count");

        Assert.True(own.Join(ValueFact.Constant(0)).UpperOnly);
        Assert.True(own.Join(ValueFact.Source("ReadByte", 0, 255)).UpperOnly);
        Assert.False(own.Join(ValueFact.Source("ReadInt32", null, null)).UpperOnly);
        Assert.False(ValueFact.Source("ReadByte", 0, 255).Join(ValueFact.Source("ReadByte", 3, 9)).UpperOnly);

        // Content that is not negative, joined with the code's own value of any sign: a negative value is the code's.
        Assert.True(ValueFact.Source("ReadByte", 0, 255).Join(ValueFact.Range(null, null)).UpperOnly);
        Assert.False(ValueFact.Source("ReadInt32", null, null).Join(ValueFact.Range(null, null)).UpperOnly);
    }

    [Fact]
    public void Untrusted_IsNeverUpperOnly_FromASourceOrWhenTrusted()
    {
        Assert.False(ValueFact.Source("ReadInt32", null, null).UpperOnly);
        Assert.False(ValueFact.Source("ReadInt32", null, null).BoundedBy("count").UpperOnly);
        Assert.False(ValueFact.Range(null, null).BoundedBy("count").Validated().UpperOnly);
    }
}
