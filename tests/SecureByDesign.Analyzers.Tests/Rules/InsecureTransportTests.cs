using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.InsecureTransportAnalyzer,
    SecureByDesign.Analyzers.InsecureTransportFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class InsecureTransportTests
{
    [Fact]
    public async Task HttpLiteralPassedToHttpClient_IsFlagged()
    {
        const string source = """
            using System.Net.Http;
            using System.Threading.Tasks;

            class Updater
            {
                Task<byte[]> Fetch(HttpClient client) => client.GetByteArrayAsync({|#0:"http://updates.example.com/channel/291.bin"|});
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithArguments(
            "HttpClient.GetByteArrayAsync", "http://updates.example.com/channel/291.bin", "http", "https://"));
    }

    [Fact]
    public async Task ConstantUriFieldBaseAddressAndConcatenation_AreFlagged()
    {
        const string source = """
            using System;
            using System.Net;
            using System.Net.Http;

            class Updater
            {
                const string Feed = {|#1:"HTTP://feed.example.com/"|};
                static readonly Uri Mirror = new Uri({|#3:"ftp://mirror.example.com/content"|});

                void Configure(HttpClient client, string file)
                {
                    client.BaseAddress = {|#0:new Uri(Feed)|};
            #pragma warning disable SYSLIB0014
                    WebRequest.Create({|#2:Mirror|});
                    client.GetAsync({|#4:Feed + file|});
                    client.GetAsync({|#5:$"http://feed.example.com/{file}"|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("HttpClient.BaseAddress", "HTTP://feed.example.com/", "http", "https://"),
            VerifyCS.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("WebRequest.Create", "ftp://mirror.example.com/content", "ftp", "https://"),
            VerifyCS.Diagnostic().WithLocation(4).WithLocation(1).WithArguments("HttpClient.GetAsync", "HTTP://feed.example.com/", "http", "https://"),
            VerifyCS.Diagnostic().WithLocation(5).WithArguments("HttpClient.GetAsync", "http://feed.example.com/", "http", "https://"));
    }

    [Fact]
    public async Task HttpsLoopbackAndNonNetworkApis_AreQuiet()
    {
        const string source = """
            using System;
            using System.Net.Http;

            class Updater
            {
                void Fetch(HttpClient client, string configured)
                {
                    client.GetAsync("https://updates.example.com/channel/291.bin");
                    client.GetAsync("http://localhost:8080/health");
                    client.GetAsync("http://127.0.0.1/health");
                    client.GetAsync("http://[::1]/health");
                    client.GetAsync(configured);
                    var url = "http://lab.example.com/feed";
                    url = configured;
                    client.GetAsync(url);
                    Console.WriteLine("http://docs.example.com/help");
                    var documentation = new Uri("http://docs.example.com/help");
                    var proxy = new System.Net.WebProxy(new Uri("http://proxy.corp.example:3128"));
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task HttpLiteral_FixUsesHttps()
    {
        const string source = """
            using System.Net.Http;
            using System.Threading.Tasks;

            class Updater
            {
                Task<byte[]> Fetch(HttpClient client) => client.GetByteArrayAsync({|#0:"http://updates.example.com/channel/291.bin"|});
            }
            """;
        const string fixedSource = """
            using System.Net.Http;
            using System.Threading.Tasks;

            class Updater
            {
                Task<byte[]> Fetch(HttpClient client) => client.GetByteArrayAsync("https://updates.example.com/channel/291.bin");
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic().WithLocation(0).WithLocation(0).WithArguments("HttpClient.GetByteArrayAsync", "http://updates.example.com/channel/291.bin", "http", "https://")],
            fixedSource);
    }

    [Fact]
    public async Task SharedConstant_FixAllRewritesItOnceAndLeavesFtp()
    {
        const string source = """
            using System;
            using System.Net.Http;

            class Updater
            {
                const string Feed = {|#1:"http://feed.example.com/"|};

                void Fetch(HttpClient client, string file)
                {
                    client.GetAsync({|#0:Feed|});
                    client.GetStringAsync({|#2:Feed + file|});
                    client.GetAsync({|#3:"ftp://mirror.example.com/x"|});
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Net.Http;

            class Updater
            {
                const string Feed = "https://feed.example.com/";

                void Fetch(HttpClient client, string file)
                {
                    client.GetAsync(Feed);
                    client.GetStringAsync(Feed + file);
                    client.GetAsync({|#3:"ftp://mirror.example.com/x"|});
                }
            }
            """;

        var test = new VerifyCS.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
        };
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("HttpClient.GetAsync", "http://feed.example.com/", "http", "https://"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(2).WithLocation(1).WithArguments("HttpClient.GetStringAsync", "http://feed.example.com/", "http", "https://"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(3).WithLocation(3).WithArguments("HttpClient.GetAsync", "ftp://mirror.example.com/x", "ftp", "https://"));
        test.FixedState.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(3).WithLocation(3).WithArguments("HttpClient.GetAsync", "ftp://mirror.example.com/x", "ftp", "https://"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task WebSocketOverWs_IsFlagged_AndVerbatimLiteralsKeepTheirForm()
    {
        const string source = """
            using System;
            using System.Net.WebSockets;
            using System.Threading;

            class Telemetry
            {
                void Connect(ClientWebSocket socket) => socket.ConnectAsync({|#0:new Uri({|#1:@"ws://events.example.com/stream"|})|}, CancellationToken.None);
            }
            """;
        const string fixedSource = """
            using System;
            using System.Net.WebSockets;
            using System.Threading;

            class Telemetry
            {
                void Connect(ClientWebSocket socket) => socket.ConnectAsync(new Uri(@"wss://events.example.com/stream"), CancellationToken.None);
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("ClientWebSocket.ConnectAsync", "ws://events.example.com/stream", "ws", "wss://")],
            fixedSource);
    }
}
