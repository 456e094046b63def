using SecureByDesign.Resilience.Parsers;

namespace SecureByDesign.Resilience.Tests;

public class DiscoveryTests
{
    private static readonly Discovery Found = ParserDiscovery.Discover(TestParsers.Assembly);

    [Theory]
    [InlineData(TestParsers.Records, InputKind.String)]
    [InlineData(TestParsers.TrustsLength, InputKind.ReadOnlySpan)]
    [InlineData(TestParsers.Hangs, InputKind.ReadOnlyMemory)]
    [InlineData(TestParsers.Allocates, InputKind.Stream)]
    [InlineData(TestParsers.FramesChecked, InputKind.ByteArray)]
    public void MarkedStaticMethod_IsFoundWithItsInput(string name, InputKind input)
    {
        var parser = Assert.Single(Found.Candidates, p => p.Name == name);
        Assert.Equal(input, parser.Input);
        Assert.True(parser.Attributed);
    }

    [Fact]
    public void VendorsOwnAttributeCopy_IsMatchedByName()
    {
        // The test parsers declare their own internal ContentParserAttribute, not the Annotations package's.
        var marked = Found.Select(Array.Empty<string>(), includeMarked: true, out var unknown);
        Assert.Empty(unknown);
        Assert.Equal(8, marked.Count);
    }

    [Fact]
    public void MarkedInstanceMethod_IsMisdeclared()
    {
        Assert.Empty(Found.Misdeclared);
        var problem = Assert.Single(ParserDiscovery.Discover(typeof(DiscoveryTests).Assembly.Location).Misdeclared);
        Assert.Contains("SecureByDesign.Resilience.Tests.Misdeclared.Parse is marked [ContentParser] but is not a static method", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateHelperWithOtherParameters_IsNoCandidate()
    {
        Assert.DoesNotContain(Found.Candidates, p => p.Name == "Vendor.Content.Nesting.Read");
    }

    [Fact]
    public void NamedParser_IsSelected_UnknownNameIsReported()
    {
        var selected = Found.Select(new[] { TestParsers.Records, "Vendor.Content.Records.Missing" }, includeMarked: false, out var unknown);
        Assert.Equal(TestParsers.Records, Assert.Single(selected).Name);
        Assert.Equal("Vendor.Content.Records.Missing", Assert.Single(unknown));
    }

    [Fact]
    public void NestedType_HasDottedNameAndReflectionName()
    {
        var parser = Assert.Single(ParserDiscovery.Discover(typeof(DiscoveryTests).Assembly.Location).Candidates, p => p.MethodName == nameof(Outer.Inner.Read));
        Assert.Equal("SecureByDesign.Resilience.Tests.Outer.Inner.Read", parser.Name);
        Assert.Equal("SecureByDesign.Resilience.Tests.Outer+Inner", parser.TypeName);
    }

    [Fact]
    public void FileThatIsNotAnAssembly_Throws()
    {
        Assert.Throws<BadImageFormatException>(() => ParserDiscovery.Discover(TestParsers.Corpus("records-bad.csv")));
    }
}

/// <summary>Marked but not of a parser's shape: an instance method cannot be run.</summary>
public sealed class Misdeclared
{
    [ContentParser]
    public int Parse(string text) => text.Length;
}

[AttributeUsage(AttributeTargets.Method)]
internal sealed class ContentParserAttribute : Attribute
{
}

public static class Outer
{
    public static class Inner
    {
        public static int Read(ReadOnlyMemory<byte> data) => data.Length;
    }
}
