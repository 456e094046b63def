using System.Globalization;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Policy;
using SecureByDesign.Updates.Tests.Support;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Tests.Policy;

/// <summary>Staged rollout (canary 1 day, early 2 days, broad) against the previous release.</summary>
public sealed class RolloutCheckTests : IDisposable
{
    private const string Path1 = "content/channel-291.bin";
    private readonly RepositorySimulator _sim = new();
    private readonly string _previous;

    public RolloutCheckTests() => _previous = Path.Combine(Path.GetTempPath(), "sbd-previous-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _sim.Dispose();
        if (Directory.Exists(_previous))
        {
            Directory.Delete(_previous, true);
        }
    }

    private static JsonObject Rollout(string ring, TimeSpan? ago = null)
    {
        var rollout = new JsonObject().Set("ring", new JsonString(ring));
        if (ago is TimeSpan age)
        {
            string since = RepositorySimulator.Now.Subtract(age).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            rollout.Set("since", new JsonString(since));
        }

        return new JsonObject().Set("rollout", rollout);
    }

    private void Release(JsonObject custom, byte[]? content = null)
    {
        _sim.Customs[Path1] = custom;
        if (content is not null)
        {
            _sim.AddTarget("targets", Path1, content);
        }

        _sim.Versions["targets"]++;
        _sim.SnapshotVersion++;
        _sim.TimestampVersion++;
        _sim.Publish();
    }

    private string[] Problems(bool withPrevious = true) => _sim.Problems(new VerifierOptions
    {
        Rollout = RolloutPolicy.Default,
        PreviousReleaseDirectory = withPrevious ? _previous : null,
    });

    private void Ship(JsonObject custom)
    {
        Release(custom);
        _sim.CopyMetadataTo(_previous);
    }

    [Fact]
    public void NewContent_InTheFirstRing_IsFine()
    {
        Release(Rollout("canary", TimeSpan.Zero));
        Assert.Empty(Problems(withPrevious: false));
    }

    [Fact]
    public void NewContent_StraightToBroad_IsRejected()
    {
        Release(Rollout("broad"));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': new content in ring 'broad'; it must ship in 'canary' first" }, Problems(withPrevious: false));
    }

    [Fact]
    public void Promotion_AfterTheSoakTime_IsFine()
    {
        Ship(Rollout("canary", TimeSpan.FromDays(2)));
        Release(Rollout("early", TimeSpan.Zero));
        Assert.Empty(Problems());
    }

    [Fact]
    public void Promotion_BeforeTheSoakTime_IsRejected()
    {
        Ship(Rollout("canary", TimeSpan.FromHours(12)));
        Release(Rollout("early", TimeSpan.Zero));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': in ring 'canary' for 12 hours, less than its minimum soak of 24 hours" }, Problems());
    }

    [Fact]
    public void Promotion_SkippingARing_IsRejected()
    {
        Ship(Rollout("canary", TimeSpan.FromDays(5)));
        Release(Rollout("broad"));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': moves from ring 'canary' to 'broad' without shipping in 'early'" }, Problems());
    }

    [Fact]
    public void ChangedContent_KeepingItsRing_IsNewContent()
    {
        Ship(Rollout("canary", TimeSpan.FromDays(5)));
        Release(Rollout("early", TimeSpan.FromDays(5)));
        _sim.CopyMetadataTo(_previous);
        Release(Rollout("early", TimeSpan.FromDays(5)), "records: 21 fields each"u8.ToArray());
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': new content in ring 'early'; it must ship in 'canary' first" }, Problems());
    }

    [Fact]
    public void SameRing_BackdatedSince_IsRejected()
    {
        Ship(Rollout("canary", TimeSpan.FromHours(1)));
        Release(Rollout("canary", TimeSpan.FromDays(5)));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': stays in ring 'canary' but custom.rollout.since is 2026-05-27T12:00:00Z, not the previous release's 2026-06-01T11:00:00Z" }, Problems());
        Release(Rollout("canary", TimeSpan.FromHours(1)));
        Assert.Empty(Problems());
    }

    [Fact]
    public void EnteringARing_WithABackdatedSince_IsRejected()
    {
        Release(Rollout("canary", TimeSpan.FromDays(5)));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': enters ring 'canary' with custom.rollout.since 2026-05-27T12:00:00Z, more than 1 hour(s) from the release time 2026-06-01T12:00:00Z" }, Problems(withPrevious: false));
        Ship(Rollout("canary", TimeSpan.FromDays(2)));
        Release(Rollout("early", TimeSpan.FromHours(2)));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': enters ring 'early' with custom.rollout.since 2026-06-01T10:00:00Z, more than 1 hour(s) from the release time 2026-06-01T12:00:00Z" }, Problems());
        Release(Rollout("early", TimeSpan.FromHours(-2)));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': enters ring 'early' with custom.rollout.since 2026-06-01T14:00:00Z, more than 1 hour(s) from the release time 2026-06-01T12:00:00Z" }, Problems());
        Release(Rollout("early", TimeSpan.FromMinutes(30)));
        Assert.Empty(Problems());
    }

    [Fact]
    public void Promotion_WithoutSinceInThePreviousRelease_IsRejected()
    {
        Ship(Rollout("canary"));
        Release(Rollout("early", TimeSpan.Zero));
        Assert.Equal(new[] { $"SBDU028 target '{Path1}': the previous release gives no custom.rollout.since for ring 'canary', so its soak time is unknown" }, Problems());
    }

    [Fact]
    public void MissingOrUnknownRing_IsReported()
    {
        Release(new JsonObject());
        Assert.Equal(new[] { $"SBDU027 target '{Path1}': no custom.rollout ring; every target must declare one" }, Problems(withPrevious: false));
        Release(Rollout("everyone"));
        Assert.Equal(new[] { $"SBDU027 target '{Path1}': custom.rollout.ring 'everyone' is not one of canary, early, broad" }, Problems(withPrevious: false));
    }
}
