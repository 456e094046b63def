using System.Buffers.Binary;
using System.Text;
using SecureByDesign.Resilience.Mutation;

namespace SecureByDesign.Resilience.Tests;

public class MutatorTests
{
    private static readonly byte[][] TextCorpus = Directory.GetFiles(TestParsers.Corpus("records")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
    private static readonly byte[] Frame = { 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

    [Fact]
    public void SameSeed_GivesSameInputs_OtherSeedOthers()
    {
        static List<string> Take(int seed)
        {
            var mutator = new Mutator(TextCorpus, TextShape.Detect(TextCorpus), seed);
            return Enumerable.Range(0, 200).Select(_ => Convert.ToHexString(mutator.Next())).ToList();
        }

        Assert.Equal(Take(7), Take(7));
        Assert.NotEqual(Take(7), Take(8));
    }

    [Fact]
    public void TextCorpus_GetsRecordsWithOneFieldMoreAndOneFewer()
    {
        var shape = TextShape.Detect(TextCorpus)!;
        var mutator = new Mutator(TextCorpus, shape, seed: 1);
        var counts = new HashSet<int>();
        for (int i = 0; i < 500; i++)
        {
            if (TextShape.TryDecode(mutator.Next(), out string text))
            {
                counts.UnionWith(shape.Split(text).Select(r => r.Count));
            }
        }

        Assert.Contains(21, counts);
        Assert.Contains(19, counts);
    }

    [Fact]
    public void TextCorpus_GetsEmptyVeryLongAndDeeplyNestedFields()
    {
        var shape = TextShape.Detect(TextCorpus)!;
        var mutator = new Mutator(TextCorpus, shape, seed: 2);
        var fields = new List<string>();
        for (int i = 0; i < 500; i++)
        {
            if (TextShape.TryDecode(mutator.Next(), out string text))
            {
                fields.AddRange(shape.Split(text).SelectMany(r => r));
            }
        }

        Assert.Contains(fields, f => f.Length == 0);
        Assert.Contains(fields, f => f.Length >= 100_000 && f.Distinct().Count() == 1);
        Assert.Contains(fields, f => f.StartsWith(new string('[', 1000), StringComparison.Ordinal) || f.StartsWith(new string('{', 1000), StringComparison.Ordinal));
    }

    [Fact]
    public void BinaryInput_GetsIntegerBoundariesTruncationAndExtension()
    {
        var mutator = new Mutator(new[] { Frame }, shape: null, seed: 3);
        var inputs = Enumerable.Range(0, 5000).Select(_ => mutator.Next()).ToList();
        bool Holds(byte[] input, int value) =>
            input.Length == Frame.Length && Enumerable.Range(0, input.Length - 3).Any(at => BinaryPrimitives.ReadInt32LittleEndian(input.AsSpan(at)) == value);

        Assert.Contains(inputs, i => Holds(i, int.MaxValue));
        Assert.Contains(inputs, i => Holds(i, int.MinValue));
        Assert.Contains(inputs, i => Holds(i, -1));
        Assert.Contains(inputs, i => Holds(i, Frame.Length + 1));
        Assert.Contains(inputs, i => i.Length < Frame.Length);
        Assert.Contains(inputs, i => i.Length > Frame.Length);
        Assert.All(inputs, i => Assert.True(i.Length <= Mutator.MaxInputBytes));
    }

    [Fact]
    public void TwoCorpusFiles_AreSpliced()
    {
        byte[] a = Enumerable.Repeat((byte)'a', 64).ToArray();
        byte[] b = Enumerable.Repeat((byte)'b', 64).ToArray();
        var mutator = new Mutator(new[] { a, b }, shape: null, seed: 4);
        var inputs = Enumerable.Range(0, 1000).Select(_ => Encoding.ASCII.GetString(mutator.Next())).ToList();
        Assert.Contains(inputs, i => i.Length > 2 && i.StartsWith('a') && i.EndsWith('b') && i.Trim('a', 'b').Length == 0);
    }

    [Fact]
    public void EmptyCorpus_MutatesTheEmptyInput()
    {
        var mutator = new Mutator(Array.Empty<byte[]>(), shape: null, seed: 5);
        Assert.Contains(Enumerable.Range(0, 50).Select(_ => mutator.Next()), i => i.Length > 0);
    }

    [Fact]
    public void Shape_IsTextWithTheCommonestSeparator_OrNullForBinary()
    {
        Assert.Equal(',', TextShape.Detect(TextCorpus)!.Separator);
        Assert.Equal('\t', TextShape.Detect(new[] { Encoding.UTF8.GetBytes("a\tb\tc\nd\te\tf") })!.Separator);
        Assert.Null(TextShape.Detect(new[] { Frame }));
        Assert.Null(TextShape.Detect(new[] { new byte[] { 0xC3, 0x28 } }));
    }
}
