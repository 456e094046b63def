using System.Net;
using System.Net.Sockets;

namespace SecureByDesign.Tool.Tests;

/// <summary>Serves a folder over HTTP on the loopback interface (404 for what is missing), recording requests.</summary>
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

            string relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
            lock (Requests)
            {
                Requests.Add(relative);
            }

            string path = Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));
            if (!relative.Contains("..", StringComparison.Ordinal) && File.Exists(path))
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
