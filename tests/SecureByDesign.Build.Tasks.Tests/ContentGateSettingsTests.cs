using SecureByDesign.Build.Tasks;

namespace SecureByDesign.Build.Tasks.Tests;

/// <summary>The signed-content gate's settings checks (SBD7001-SBD7004), over an in-memory file system.</summary>
public sealed class ContentGateSettingsTests
{
    private readonly FakeFiles _files = new(files: ["/p/trust/root.json"], directories: ["/p/content", "/p/content/metadata", "/p/released"]);

    private static ContentGateSettings Valid() => new()
    {
        TrustedRoot = "/p/trust/root.json",
        ContentRoot = "/p/content",
        MinimumValidityDays = "7",
        RequireRollout = "true",
    };

    [Fact]
    public void Check_ValidSettings_NoErrors()
    {
        var settings = Valid();
        settings.ReleasedMetadata = "/p/released";
        settings.MaxMetadataBytes = "1000000";

        Assert.Empty(settings.Check(_files));
        Assert.Equal(7, settings.ValidityDays);
        Assert.True(settings.Rollout);
        Assert.Equal(1_000_000, settings.MetadataBytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/p/trust/other.json")]
    public void Check_TrustedRootUnsetOrMissing_SBD7001(string? root)
    {
        var settings = Valid();
        settings.TrustedRoot = root;

        var error = Assert.Single(settings.Check(_files));
        Assert.Equal("SBD7001", error.Code);
        Assert.Contains("SecureByDesignTrustedRoot", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/p/nowhere")]
    [InlineData("/p/released")] // A folder, but without metadata/.
    public void Check_ContentRootMissingOrWithoutMetadata_SBD7002(string content)
    {
        var settings = Valid();
        settings.ContentRoot = content;

        var error = Assert.Single(settings.Check(_files));
        Assert.Equal("SBD7002", error.Code);
        Assert.Equal(content, error.File);
    }

    [Theory]
    [InlineData("MinimumValidityDays", "soon")]
    [InlineData("MinimumValidityDays", "-1")]
    [InlineData("MinimumValidityDays", "3651")]
    [InlineData("MinimumValidityDays", "")]
    [InlineData("RequireRollout", "yes")]
    [InlineData("MaxMetadataBytes", "0")]
    [InlineData("MaxMetadataBytes", "1MB")]
    public void Check_BadValue_SBD7003(string property, string value)
    {
        var settings = Valid();
        typeof(ContentGateSettings).GetProperty(property)!.SetValue(settings, value);

        var error = Assert.Single(settings.Check(_files));
        Assert.Equal("SBD7003", error.Code);
        Assert.Contains($"SecureByDesign{property} is '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReleasedMetadataMissing_SBD7004()
    {
        var settings = Valid();
        settings.ReleasedMetadata = "/p/old";

        var error = Assert.Single(settings.Check(_files));
        Assert.Equal("SBD7004", error.Code);
        Assert.Equal("/p/old", error.File);
    }

    [Fact]
    public void Check_SeveralProblems_ReportsEach()
    {
        var settings = new ContentGateSettings { ContentRoot = "/p/nowhere", MinimumValidityDays = "x", RequireRollout = "true" };

        Assert.Equal(["SBD7001", "SBD7002", "SBD7003"], settings.Check(_files).Select(e => e.Code));
    }

    private sealed class FakeFiles(string[] files, string[] directories) : IFileSystem
    {
        public bool FileExists(string path) => files.Contains(path);

        public bool DirectoryExists(string path) => directories.Contains(path);
    }
}
