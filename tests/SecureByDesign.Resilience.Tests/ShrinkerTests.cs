using System.Text;
using SecureByDesign.Resilience.Fuzzing;
using SecureByDesign.Resilience.Mutation;

namespace SecureByDesign.Resilience.Tests;

public class ShrinkerTests
{
    [Fact]
    public void BinaryInput_ShrinksToTheBytesThatFail()
    {
        byte[] input = Enumerable.Range(0, 300).Select(i => (byte)(i == 177 ? 0xFF : i % 200)).ToArray();
        byte[] shrunk = Shrinker.Shrink(input, shape: null, candidate => candidate.Contains((byte)0xFF), budget: 1000);
        Assert.Equal(new byte[] { 0xFF }, shrunk);
    }

    [Fact]
    public void RecordWithOneFieldTooMany_ShrinksToOneRecordOfEmptyFields_StillOneTooMany()
    {
        var shape = TextShape.Detect(new[] { Encoding.UTF8.GetBytes("a,b") })!;
        string records = string.Join("\n", Enumerable.Range(0, 5).Select(r => string.Join(",", Enumerable.Range(0, r == 3 ? 21 : 20).Select(f => $"value{r}{f}"))));
        bool TooMany(byte[] candidate) => Encoding.UTF8.GetString(candidate).Split('\n').Any(line => line.Split(',').Length > 20);

        byte[] shrunk = Shrinker.Shrink(Encoding.UTF8.GetBytes(records), shape, TooMany, budget: 2000);

        Assert.Equal(new string(',', 20), Encoding.UTF8.GetString(shrunk));
    }

    [Fact]
    public void Budget_BoundsTheRuns()
    {
        int runs = 0;
        Shrinker.Shrink(new byte[4096], shape: null, _ => ++runs < 0, budget: 10);
        Assert.Equal(10, runs);
    }
}
