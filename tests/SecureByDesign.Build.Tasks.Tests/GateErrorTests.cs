using SecureByDesign.Build.Tasks;

namespace SecureByDesign.Build.Tasks.Tests;

/// <summary>Reading sbd's canonical error lines: what becomes an MSBuild error, and what stays a message.</summary>
public sealed class GateErrorTests
{
    [Fact]
    public void Parse_CanonicalLine_GivesCodeFileMessageAndHelpLink()
    {
        var error = GateError.Parse("/repo/content/targets/a.bin: error SBD5008: targets/a.bin: sha256 00, listed as 11 (SBDU015)");

        Assert.NotNull(error);
        Assert.Equal("SBD5008", error.Code);
        Assert.Equal("/repo/content/targets/a.bin", error.File);
        Assert.Equal("targets/a.bin: sha256 00, listed as 11 (SBDU015)", error.Message);
        Assert.Equal("https://github.com/SecureByDesign/SecureByDesign/blob/main/docs/gates/SBD5008.md", error.HelpLink);
    }

    [Fact]
    public void Parse_WindowsPath_KeepsTheDriveColon()
    {
        var error = GateError.Parse(@"C:\src\content\metadata\timestamp.json: error SBD5006: metadata/timestamp.json: expired");

        Assert.NotNull(error);
        Assert.Equal(@"C:\src\content\metadata\timestamp.json", error.File);
        Assert.Equal("SBD5006", error.Code);
    }

    [Theory]
    [InlineData("verified: root version 1, 2 target(s)")]
    [InlineData("SBDU015 targets/a.bin: sha256 00, listed as 11")]
    [InlineData("file: error CS0001: not ours")]
    [InlineData("file: error SBD50: too short")]
    [InlineData("file: error SBD5x08: not digits")]
    [InlineData(": error SBD5008: no file")]
    public void Parse_OtherLines_AreNotErrors(string line) => Assert.Null(GateError.Parse(line));
}
