using System.Text.Json.Nodes;
using SecureByDesign.Tool;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A signed content repository made in the test, as a release pipeline makes one: keys from <c>sbd keygen</c>, then
/// <c>sbd init</c>, <c>add-target</c> and <c>sign</c>. Nothing is committed: every key is new. Content signed in the
/// past (to expire) is made with the same library through <see cref="RepositoryEditor"/> at an earlier time.
/// </summary>
public sealed class ContentRepository
{
    private ContentRepository(string directory)
    {
        Directory = directory;
    }

    /// <summary>The folder with keys/, content/ (metadata/ and targets/) and trusted/root.json.</summary>
    public string Directory { get; }

    public string Content => Path.Combine(Directory, "content");

    public string TrustedRoot => Path.Combine(Directory, "trusted", "root.json");

    public string Key => Path.Combine(Directory, "keys", "online.key");

    /// <summary>A released repository with one target, <c>channel-291.bin</c>, with the given <c>custom</c> JSON.</summary>
    public static ContentRepository Create(string directory, string custom, DateTimeOffset? signedAt = null)
    {
        var repository = new ContentRepository(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "keys"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "trusted"));
        Sbd("keygen", "--out", repository.Key);
        if (signedAt is DateTimeOffset at)
        {
            using KeySigner signer = KeyFile.Read(File.ReadAllBytes(repository.Key), repository.Key);
            var editor = new RepositoryEditor(repository.Content, at);
            editor.Init(new Dictionary<string, KeySigner> { ["root"] = signer, ["targets"] = signer, ["snapshot"] = signer, ["timestamp"] = signer }, consistentSnapshot: false);
            editor.AddTarget("channel-291.bin", "a,b,c\n"u8.ToArray(), ParseCustom(custom));
            foreach (var role in new[] { "targets", "snapshot", "timestamp" })
            {
                editor.Sign(role, signer);
            }
        }
        else
        {
            Sbd("init", "--repo", repository.Content, "--root-key", repository.Key, "--timestamp-key", repository.Key, "--snapshot-key", repository.Key, "--targets-key", repository.Key);
            repository.AddTarget("channel-291.bin", "a,b,c\n", custom);
        }

        File.Copy(Path.Combine(repository.Content, "metadata", "1.root.json"), repository.TrustedRoot);
        return repository;
    }

    /// <summary><c>sbd add-target</c>, then targets, snapshot and timestamp signed: the next release.</summary>
    public void AddTarget(string path, string text, string custom)
    {
        var file = Path.Combine(Directory, "drop-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, text);
        Sbd("add-target", "--repo", Content, "--file", file, "--path", path, "--custom", custom);
        foreach (var role in new[] { "targets", "snapshot", "timestamp" })
        {
            Sbd("sign", "--repo", Content, "--role", role, "--key", Key);
        }
    }

    /// <summary>A copy of the content folder as it is now (a release to compare against, or a case to tamper with).</summary>
    public string CopyContent(string to)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Content, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(Content, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return to;
    }

    /// <summary>Replaces the signatures of <c>metadata/timestamp.json</c> in <paramref name="content"/>; the signed part stays byte for byte.</summary>
    public static void ReplaceTimestampSignatures(string content, Func<byte[], JsonArray> signatures)
    {
        var path = Path.Combine(content, "metadata", "timestamp.json");
        var bytes = File.ReadAllBytes(path);
        var metadata = MetadataReader.ReadTimestamp(bytes, "metadata/timestamp.json", 1 << 20);
        var json = JsonNode.Parse(bytes)!.AsObject();
        json["signatures"] = signatures(metadata.SignedBytes);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>Runs sbd in process; a failure fails the test's set-up.</summary>
    public static void Sbd(params string[] arguments)
    {
        var output = new StringWriter();
        var exit = Cli.Run(arguments, output, output);
        if (exit != Cli.Ok)
        {
            throw new InvalidOperationException($"sbd {string.Join(' ', arguments)} exited with {exit}: {output}");
        }
    }

    private static SecureByDesign.Updates.Json.JsonValue ParseCustom(string custom) =>
        SecureByDesign.Updates.Json.StrictJsonReader.Parse(System.Text.Encoding.UTF8.GetBytes(custom), "custom", 1 << 16);
}
