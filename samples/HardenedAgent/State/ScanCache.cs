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

    /// <summary>The cache formats the agent knows, by the name a cache file's first line gives.</summary>
    private static readonly Dictionary<string, Type> Formats = new(StringComparer.Ordinal) { ["verdicts-v2"] = typeof(ScanCache) };

    /// <summary>Reads a cache whose first line names its format: only a format of the agent's own list is created.</summary>
    public static object? LoadTyped(string path)
    {
        using var reader = File.OpenText(path);
        var format = reader.ReadLine() ?? throw new InvalidDataException("The cache file is empty.");
        if (!Formats.TryGetValue(format, out var type))
        {
            throw new InvalidDataException($"Unknown cache format '{format}'.");
        }

        return Activator.CreateInstance(type);
    }
}
