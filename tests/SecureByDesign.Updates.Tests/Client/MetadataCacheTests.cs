using SecureByDesign.Updates.Client;

namespace SecureByDesign.Updates.Tests.Client;

public sealed class MetadataCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Write_NeverLeavesTheTrustedFileMissing()
    {
        // A crash between "delete the old file" and "move the new one in" would lose the trusted root: the
        // replacement must be one atomic step, so a reader never sees the file missing.
        var cache = new MetadataCache(_dir);
        cache.Write("root", "{\"v\":0}"u8.ToArray());
        string path = Path.Combine(_dir, "root.json");
        using var stop = new CancellationTokenSource();
        Task<int> watcher = Task.Run(() =>
        {
            int missing = 0;
            while (!stop.IsCancellationRequested)
            {
                missing += File.Exists(path) ? 0 : 1;
            }

            return missing;
        });
        for (int i = 1; i <= 3000; i++)
        {
            cache.Write("root", System.Text.Encoding.UTF8.GetBytes("{\"v\":" + i + "}"));
        }

        await stop.CancelAsync();
        Assert.Equal(0, await watcher);
        Assert.Equal("{\"v\":3000}", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
