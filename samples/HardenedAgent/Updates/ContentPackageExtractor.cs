using System.IO.Compression;
using System.Text.Json;

namespace EndpointAgent.Updates;

/// <summary>
/// Unpacks a verified content package into the content directory. A package is a zip: a manifest.json that lists
/// the detection channels, and one file per channel. Even a signed package is content from outside the process:
/// the manifest is checked for null before its members are used, every entry must land inside the content
/// directory, and every enum value read from a channel must be defined.
/// </summary>
public static class ContentPackageExtractor
{
    public static PackageManifest Extract(string packagePath, string contentDirectory)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var manifestEntry = archive.GetEntry("manifest.json") ?? throw new InvalidDataException("The package has no manifest.");
        using var manifestStream = manifestEntry.Open();
        var manifest = JsonSerializer.Deserialize<PackageManifest>(manifestStream);
        if (manifest is null || manifest.Channels is null)
        {
            throw new InvalidDataException("The manifest lists no channels.");
        }

        Console.WriteLine($"Package {manifest.Version} with {manifest.Channels.Count} channels.");
        foreach (var entry in archive.Entries)
        {
            ExtractChannel(entry, contentDirectory);
        }

        return manifest;
    }

    /// <summary>Extracts one entry: the root ends with a separator, and the check comes before the write.</summary>
    public static void ExtractChannel(ZipArchiveEntry entry, string contentDirectory)
    {
        var root = Path.GetFullPath(contentDirectory) + Path.DirectorySeparatorChar;
        var fullPath = Path.GetFullPath(Path.Combine(root, entry.FullName));
        if (!fullPath.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Entry '{entry.FullName}' is outside the content directory.");
        }

        entry.ExtractToFile(fullPath, overwrite: true);
    }

    /// <summary>Reads the channel header that the package's channel files start with.</summary>
    public static ChannelHeader ReadHeader(Stream channel)
    {
        using var reader = new BinaryReader(channel);
        var kind = (ChannelKind)reader.ReadByte();
        var priority = (ChannelPriority)reader.ReadByte();
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(priority))
        {
            throw new InvalidDataException($"Unknown channel kind {(int)kind} or priority {(int)priority}.");
        }

        return new ChannelHeader(kind, priority);
    }
}
