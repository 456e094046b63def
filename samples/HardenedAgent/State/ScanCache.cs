using System.Text.Json;

namespace EndpointAgent.State;

/// <summary>The verdicts of earlier scans, by file hash, so unchanged files are not scanned again.</summary>
public sealed class ScanCache
{
    public Dictionary<string, string> Verdicts { get; set; } = new();

    public int Count => Verdicts.Count;

    /// <summary>Reads the JSON cache, bound to known types: what the file says cannot choose the types created.</summary>
    public static ScanCache Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ScanCache();
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ScanCache>(stream) ?? new ScanCache();
    }
}
