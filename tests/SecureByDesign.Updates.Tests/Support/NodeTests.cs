using System.Diagnostics;

namespace SecureByDesign.Updates.Tests.Support;

/// <summary>The test harness itself: a hung script must fail its test, not hang the run.</summary>
public class NodeTests
{
    [NodeFact]
    public void Execute_PastItsTimeout_KillsTheProcessAndThrows()
    {
        var clock = Stopwatch.StartNew();
        Assert.Throws<TimeoutException>(() => Node.Execute("node", new[] { "-e", "setTimeout(() => {}, 30000)" }, TimeSpan.FromSeconds(1)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [NodeFact]
    public void Execute_CollectsOutputAndErrorAndTheExitCode()
    {
        (int exit, string output) = Node.Execute("node", new[] { "-e", "console.log('out'); console.error('err'); process.exit(3)" }, TimeSpan.FromSeconds(60));
        Assert.Equal(3, exit);
        Assert.Equal("out\nerr\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
    }
}
