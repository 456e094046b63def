using System.IO.Compression;
using System.Text.Json;

namespace EndpointAgent.Updates;

/// <summary>
/// Unpacks a verified content package into the content directory. A package is a zip: a manifest.json that lists
/// the detection channels, and one file per channel. Even a signed package is content from outside the process:
/// the names of its entries and the fields of its manifest decide where files land and what the agent does.
/// </summary>
public static class ContentPackageExtractor
{
    public static PackageManifest Extract(string packagePath, string contentDirectory)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var manifestEntry = archive.GetEntry("manifest.json") ?? throw new InvalidDataException("The package has no manifest.");
        using var manifestStream = manifestEntry.Open();
        var manifest = JsonSerializer.Deserialize<PackageManifest>(manifestStream);
        Console.WriteLine($"Package {manifest!.Version} with {manifest.Channels.Count} channels."); // Expected: SBD1009 (manifest) // Expected: SBD1009 (manifest.Channels)

        foreach (var entry in archive.Entries)
        {
            // The entry's name goes straight into the path: "../../agent.dll" lands outside the content directory.
            var target = Path.Combine(contentDirectory, entry.FullName);
            entry.ExtractToFile(target, overwrite: true); // Expected: SBD1006
        }

        return manifest;
    }

    /// <summary>Extracts one channel file, with a containment check whose root lacks the trailing separator.</summary>
    public static void ExtractChannel(ZipArchiveEntry entry, string contentDirectory)
    {
        var fullPath = Path.GetFullPath(Path.Combine(contentDirectory, entry.FullName));
        if (!fullPath.StartsWith(Path.GetFullPath(contentDirectory), StringComparison.Ordinal)) // Expected: SBD1006 (content accepts content-old)
        {
            throw new InvalidDataException($"Entry '{entry.FullName}' is outside the content directory.");
        }

        entry.ExtractToFile(fullPath, overwrite: true);
    }

    /// <summary>The checked form: the root ends with a separator, and the check dominates the write. No finding.</summary>
    public static void ExtractChecked(ZipArchiveEntry entry, string contentDirectory)
    {
        var root = Path.GetFullPath(contentDirectory) + Path.DirectorySeparatorChar;
        var fullPath = Path.GetFullPath(Path.Combine(root, entry.FullName));
        if (!fullPath.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Entry '{entry.FullName}' is outside the content directory.");
        }

        entry.ExtractToFile(fullPath, overwrite: true);
    }

    /// <summary>The whole-archive API checks every entry itself: no finding.</summary>
    public static void ExtractAll(string packagePath, string contentDirectory) =>
        ZipFile.ExtractToDirectory(packagePath, contentDirectory, overwriteFiles: true);

    /// <summary>Reads the channel header that the package's channel files start with.</summary>
    public static ChannelHeader ReadHeader(Stream channel)
    {
        using var reader = new BinaryReader(channel);
        var kind = (ChannelKind)reader.ReadByte();
        var priority = (ChannelPriority)reader.ReadByte();
        if (!Enum.IsDefined(priority))
        {
            throw new InvalidDataException($"Unknown channel priority {(int)priority}.");
        }

        return new ChannelHeader(kind, priority); // Expected: SBD1007
    }

    /// <summary>
    /// The directory of a channel's files, from a table with one entry per kind: indexing it takes for granted that the
    /// header's kind is a member, which is what makes the unchecked kind stored above a finding.
    /// </summary>
    public static string ChannelDirectory(ChannelHeader header) => ChannelDirectories[(int)header.Kind - 1];

    private static readonly string[] ChannelDirectories = ["signatures", "behaviour", "network"];

    /// <summary>The checked form of a manifest read: every member that is used is tested first. No finding.</summary>
    public static int CountChannels(Stream manifestStream)
    {
        var manifest = JsonSerializer.Deserialize<PackageManifest>(manifestStream);
        if (manifest is null || manifest.Channels is null)
        {
            throw new InvalidDataException("The manifest lists no channels.");
        }

        return manifest.Channels.Count;
    }
}
