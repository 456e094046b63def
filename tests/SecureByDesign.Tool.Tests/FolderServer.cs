using System.Net;
using System.Net.Sockets;

namespace SecureByDesign.Tool.Tests;

/// <summary>Serves a folder over HTTP on the loopback interface (404 for what is missing), recording request paths as sent.</summary>
internal sealed class FolderServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public FolderServer(string root)
    {
        _root = root;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public List<string> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                return;
            }

            // Metadata file names are percent-encoded role names, as requested: only target paths are decoded.
            string sent = (context.Request.RawUrl ?? "/").TrimStart('/');
            string relative = sent.StartsWith("metadata/", StringComparison.Ordinal) ? sent : Uri.UnescapeDataString(sent);
            lock (Requests)
            {
                Requests.Add(sent);
            }

            string path = Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));
            if (!relative.Split('/').Contains("..") && File.Exists(path))
            {
                byte[] body = await File.ReadAllBytesAsync(path);
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
