using System.Runtime.Serialization.Formatters.Binary;
using System.Text.Json;

namespace EndpointAgent.State;

/// <summary>The verdicts of earlier scans, by file hash, so unchanged files are not scanned again.</summary>
[Serializable]
public sealed class ScanCache
{
    public Dictionary<string, string> Verdicts { get; set; } = new();

    public int Count => Verdicts.Count;

    /// <summary>
    /// Reads the cache the way the first agent wrote it. Anything that can write the cache file (malware
    /// running as the user, a synced folder) chooses the types this creates.
    /// </summary>
    public static ScanCache Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ScanCache();
        }

        using var stream = File.OpenRead(path);
#pragma warning disable SYSLIB0011 // BinaryFormatter is obsolete; the agent turned the warning off to keep its cache format.
        var formatter = new BinaryFormatter();
        return (ScanCache)formatter.Deserialize(stream); // Expected: SBD1001 (BinaryFormatter: the file names the types)
#pragma warning restore SYSLIB0011
    }

    /// <summary>
    /// Reads a cache whose first line names the type that holds its verdicts, so that plugins could bring their own.
    /// Whatever writes the file chooses the type loaded and created.
    /// </summary>
    public static object? LoadTyped(string path)
    {
        using var reader = File.OpenText(path);
        var typeName = reader.ReadLine() ?? throw new InvalidDataException("The cache file is empty.");
        var type = Type.GetType(typeName, throwOnError: true); // Expected: SBD1011 (the file names the type created)
        return Activator.CreateInstance(type!);
    }

    /// <summary>The JSON cache of later agents, bound to known types: no finding.</summary>
    public static ScanCache LoadJson(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ScanCache>(stream) ?? new ScanCache();
    }
}
