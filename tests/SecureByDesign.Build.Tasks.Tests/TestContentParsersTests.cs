using Microsoft.Build.Utilities;
using SecureByDesign.Build.Tasks;

namespace SecureByDesign.Build.Tasks.Tests;

/// <summary>The resilience task's settings checks, its sbd command line and its reading of FILE(LINE) origins.</summary>
public sealed class TestContentParsersTests
{
    private static TestContentParsers Task(string seconds = "0", string seed = "0", string time = "1000", string memory = "512") => new()
    {
        Assembly = "/p/bin/Vendor.dll",
        OutputDirectory = "/p/obj/sbd/resilience",
        Seconds = seconds,
        Seed = seed,
        TimeLimitMs = time,
        MemoryLimitMB = memory,
        Parsers = [Parser("Vendor.Records.Parse", "content/*.csv", "Vendor.BadRecord;System.FormatException")],
        CorpusFiles = [Corpus("/p/content/a.csv", "Vendor.Records.Parse", "content/*.csv")],
    };

    private static TaskItem Parser(string name, string corpus, string rejects)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Corpus", corpus);
        item.SetMetadata("Rejects", rejects);
        return item;
    }

    private static TaskItem Corpus(string path, string parser, string pattern)
    {
        var item = new TaskItem(path);
        item.SetMetadata("Parser", parser);
        item.SetMetadata("Pattern", pattern);
        return item;
    }

    [Fact]
    public void GoodSettings_HaveNoProblems() => Assert.Empty(Task().Problems("/p/Vendor.csproj"));

    [Theory]
    [InlineData("-1", "0", "1000", "512", "SecureByDesignResilienceSeconds is '-1'")]
    [InlineData("soon", "0", "1000", "512", "SecureByDesignResilienceSeconds is 'soon'")]
    [InlineData("0", "x", "1000", "512", "SecureByDesignResilienceSeed is 'x'")]
    [InlineData("0", "0", "0", "512", "SecureByDesignResilienceTimeLimitMs is '0'")]
    [InlineData("0", "0", "1000", "", "SecureByDesignResilienceMemoryLimitMB is ''")]
    public void BadNumber_IsSBD7003_AboutTheProject(string seconds, string seed, string time, string memory, string message)
    {
        var problem = Assert.Single(Task(seconds, seed, time, memory).Problems("/p/Vendor.csproj"));
        Assert.Equal("SBD7003", problem.Code);
        Assert.Equal("/p/Vendor.csproj", problem.File);
        Assert.StartsWith(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorpusThatMatchedNothing_IsSBD7052_EvenWhenAnotherItemOfTheParserMatched()
    {
        var task = Task();
        task.Parsers = [.. task.Parsers, Parser("Vendor.Records.Parse", "more/*.csv", "")];

        var problem = Assert.Single(task.Problems("/p/Vendor.csproj"));
        Assert.Equal(TestContentParsers.CorpusNotFound, problem.Code);
        Assert.Contains("'more/*.csv', matches no file", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_NameEveryParserCorpusFileAndRejection()
    {
        var builder = new CommandLineBuilder();
        Task(seconds: "2.5", seed: "7").AppendFuzzArguments(builder);

        Assert.Equal(
            "fuzz /p/bin/Vendor.dll --all-marked --parser Vendor.Records.Parse --rejects Vendor.Records.Parse=Vendor.BadRecord "
            + "--rejects Vendor.Records.Parse=System.FormatException --corpus Vendor.Records.Parse=/p/content/a.csv "
            + "--seconds 2.5 --seed 7 --time-limit-ms 1000 --memory-limit-mb 512 --out /p/obj/sbd/resilience",
            builder.ToString());
    }

    [Theory]
    [InlineData("/src/Records.cs(27)", "/src/Records.cs", 27)]
    [InlineData(@"C:\src\Records.cs(3)", @"C:\src\Records.cs", 3)]
    public void Origin_WithALine_IsSplit(string origin, string file, int line) =>
        Assert.Equal((file, line), TestContentParsers.SplitLine(origin));

    [Theory]
    [InlineData("/p/obj/sbd/resilience/Vendor.Records.Parse/ab.bin")]
    [InlineData("/p/content (old)/a.csv(x)")]
    public void Origin_WithoutALine_IsNotSplit(string origin) => Assert.Null(TestContentParsers.SplitLine(origin));
}
