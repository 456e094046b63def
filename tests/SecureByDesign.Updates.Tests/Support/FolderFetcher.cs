using SecureByDesign.Updates.Client;

namespace SecureByDesign.Updates.Tests.Support;

/// <summary>
/// Serves a repository folder as if over HTTP (404 for what is missing) and records each request path as sent.
/// Metadata file names on disk are percent-encoded role names, as the request names them, so a metadata path
/// is not decoded: a client that encodes a role name twice asks for a file that is not there. Target paths
/// are decoded once, as a web server does.
/// </summary>
internal sealed class FolderFetcher : IFetcher
{
    public static readonly Uri MetadataUrl = new("http://repo.test/metadata/");
    public static readonly Uri TargetsUrl = new("http://repo.test/targets/");

    private readonly string _root;

    public FolderFetcher(string root) => _root = root;

    public List<string> Requests { get; } = new();

    /// <summary>Content served instead of the file, by request path (e.g. "targets/x.bin").</summary>
    public Dictionary<string, byte[]> Overrides { get; } = new();

    public Task<Stream> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        string sent = url.AbsolutePath.TrimStart('/');
        string relative = sent.StartsWith("metadata/", StringComparison.Ordinal) ? sent : Uri.UnescapeDataString(sent);
        Requests.Add(sent);
        if (Overrides.TryGetValue(relative, out byte[]? content))
        {
            return Task.FromResult<Stream>(new MemoryStream(content));
        }

        string path = Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(path))
        {
            throw new FetchException(url, 404);
        }

        return Task.FromResult<Stream>(new MemoryStream(File.ReadAllBytes(path)));
    }
}
