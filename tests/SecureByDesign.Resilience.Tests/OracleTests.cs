using System.Text;
using SecureByDesign.Resilience.Parsers;
using SecureByDesign.Resilience.Running;
using Vendor.Content;

namespace SecureByDesign.Resilience.Tests;

/// <summary>The oracle in this process, over the test parsers loaded as an ordinary reference.</summary>
public class OracleTests
{
    private static readonly System.Reflection.Assembly Parsers = typeof(Records).Assembly;
    private static readonly Rejections Defaults = new(Array.Empty<string>());

    private static Action<byte[]> Bind(string type, string method, InputKind input) =>
        ParserInvoker.Bind(Parsers, new ParserMethod(type + "." + method, type, method, input, Attributed: true));

    private static byte[] Record(int fields) => Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Repeat("x", fields)));

    [Fact]
    public void Return_Passes()
    {
        Assert.Equal(OutcomeKind.Passed, Oracle.Judge(Bind("Vendor.Content.Records", "Parse", InputKind.String), Record(20), Defaults, Parsers).Kind);
    }

    [Fact]
    public void DeclaredRejection_Passes()
    {
        var outcome = Oracle.Judge(Bind("Vendor.Content.Records", "Parse", InputKind.String), Record(19), Defaults, Parsers);
        Assert.Equal(OutcomeKind.Rejected, outcome.Kind);
        Assert.True(outcome.IsPass);
    }

    [Fact]
    public void OtherException_Fails_WithTheParsersFrameAndLine()
    {
        var outcome = Oracle.Judge(Bind("Vendor.Content.Records", "Parse", InputKind.String), Record(21), Defaults, Parsers);
        Assert.Equal(OutcomeKind.Exception, outcome.Kind);
        Assert.Equal("System.IndexOutOfRangeException", outcome.Reason);
        Assert.Equal("Vendor.Content.Records.Parse", outcome.Frame);
        Assert.Equal("Records.cs", Path.GetFileName(outcome.File));
        Assert.True(outcome.Line > 0);
    }

    [Fact]
    public void FrameworkThrowHelper_IsSkipped_ForTheParsersOwnFrame()
    {
        // ReadOnlySpan.Slice throws from the framework; the frame reported is the parser's call.
        var outcome = Oracle.Judge(Bind("Vendor.Content.Frames", "TrustsLength", InputKind.ReadOnlySpan), new byte[] { 100, 0, 0, 0, 1 }, Defaults, Parsers);
        Assert.Equal("System.ArgumentOutOfRangeException", outcome.Reason);
        Assert.Equal("Vendor.Content.Frames.TrustsLength", outcome.Frame);
    }

    [Fact]
    public void DeclaredTypes_ReplaceTheDefaults_AndMatchBySimpleName()
    {
        var parse = Bind("Vendor.Content.Records", "Parse", InputKind.String);
        Assert.Equal(OutcomeKind.Rejected, Oracle.Judge(parse, Record(21), new Rejections(new[] { "IndexOutOfRangeException" }), Parsers).Kind);
        Assert.Equal(OutcomeKind.Exception, Oracle.Judge(parse, Record(19), new Rejections(new[] { "IndexOutOfRangeException" }), Parsers).Kind);
    }

    [Fact]
    public void SubclassOfDeclaredType_IsARejection()
    {
        // EndOfStreamException derives from IOException.
        var parse = Bind("Vendor.Content.Frames", "AllocatesWithoutBound", InputKind.Stream);
        Assert.Equal(OutcomeKind.Rejected, Oracle.Judge(parse, new byte[] { 1 }, new Rejections(new[] { "System.IO.IOException" }), Parsers).Kind);
    }

    [Fact]
    public void OutOfMemory_IsTheMemoryLimit()
    {
        var outcome = Oracle.Describe(new OutOfMemoryException(), Defaults, Parsers);
        Assert.Equal(OutcomeKind.MemoryLimit, outcome.Kind);
    }

    [Theory]
    [InlineData("Stack overflow.\nRepeat 5000 times:\n--------------------------------\n   at Vendor.Content.Nesting.Read(System.String, Int32, Int32 ByRef)\n--------------------------------", 134, "stack overflow", "Vendor.Content.Nesting.Read")]
    [InlineData("Process terminated.\nunknown content version 9\n   at System.Environment.FailFast(System.String)\n   at Vendor.Content.Frames.FailsFast(Byte[])", 134, "FailFast", "Vendor.Content.Frames.FailsFast")]
    [InlineData("Unhandled exception. System.InvalidOperationException: from a thread\n   at Vendor.Worker.Run()", 134, "unhandled System.InvalidOperationException", "Vendor.Worker.Run")]
    [InlineData("", 139, "segmentation fault (SIGSEGV)", "")]
    public void DeadRunner_IsDescribedFromItsLastWords(string notice, int exitCode, string reason, string frame)
    {
        var outcome = RunnerDeath.Describe(exitCode, notice);
        Assert.Equal(OutcomeKind.Died, outcome.Kind);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal(frame, outcome.Frame);
    }
}
