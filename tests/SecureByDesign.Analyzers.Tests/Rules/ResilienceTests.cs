using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ResilienceAnalyzer,
    SecureByDesign.Analyzers.ResilienceFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class ResilienceTests
{
    private const string NoHandler = "with no handler around it";

    /// <summary>A declared content parser and the attribute, appended after each source so its line numbers stay put.</summary>
    private const string Parser = """

        [AttributeUsage(AttributeTargets.Method)]
        sealed class ContentParserAttribute : Attribute { }

        static class RuleParser
        {
            [ContentParser]
            public static string[] Parse(string text) => text.Split(',');
        }
        """;

    // The additional locations are the fixer's map (the entry's body, every call to wrap); the fix tests check them.
    private static DiagnosticResult Escapes(int location, string entry, string action, string handler = NoHandler) =>
        VerifyCS.Diagnostic("SBD4001").WithLocation(location).WithArguments(entry, action, handler, Consequence(entry)).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string Consequence(string entry) =>
        entry.Contains("Task.", StringComparison.Ordinal) ? "stops the task, and nothing observes it" : "ends the process";

    private static DiagnosticResult Ends(int location, string call, string where) =>
        VerifyCS.Diagnostic("SBD4002").WithLocation(location).WithArguments(call, where);

    [Fact]
    public async Task ContentHandledOnThreadTimerPoolAndDiscardedTasks_WithNoHandler_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Agent
            {
                string[] current = [];
                Timer timer;

                void Start(string path)
                {
                    new Thread(() =>
                    {
                        var text = {|#0:File.ReadAllText(path)|};
                        current = text.Split(',');
                        var severity = int.Parse(current[3]);
                    }).Start();
                    timer = new Timer(_ => current = {|#1:RuleParser.Parse(path)|}, null, 0, 60_000);
                    ThreadPool.QueueUserWorkItem(_ => current = {|#2:RuleParser.Parse(path)|});
                    Task.Run(() => current = {|#3:RuleParser.Parse(path)|});
                    _ = Task.Run(async () => current = (await {|#4:File.ReadAllTextAsync(path)|}).Split(','));
                    Task.Factory.StartNew(() => current = {|#5:RuleParser.Parse(path)|}, TaskCreationOptions.LongRunning);
                }
            }
            """ + Parser;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Escapes(0, "The Thread callback (line 13)", "reads content with File.ReadAllText (line 15)"),
            Escapes(1, "The Timer callback (line 19)", "calls the content parser RuleParser.Parse (line 19)"),
            Escapes(2, "The ThreadPool work item (line 20)", "calls the content parser RuleParser.Parse (line 20)"),
            Escapes(3, "The Task.Run callback (line 21)", "calls the content parser RuleParser.Parse (line 21)"),
            Escapes(4, "The Task.Run callback (line 22)", "reads content with File.ReadAllTextAsync (line 22)"),
            Escapes(5, "The Task.Factory.StartNew callback (line 23)", "calls the content parser RuleParser.Parse (line 23)"));
    }

    [Fact]
    public async Task ReceiveLoopHandingEachDatagramToATask_IsQuiet_ALoopThatParsesItselfIsFlagged()
    {
        // An SNMP listener: a long-running task receives datagrams and starts a task per datagram to parse it. The
        // receive loop only reads (what it reads goes to the tasks), and a datagram that breaks its own task ends the
        // handling of that datagram only. A loop that parses what it receives stops for good on the first bad one, and
        // so does a task started once per configured feed (the loop around it reads nothing). A task given a field the
        // loop fills again is not given one datagram of its own.
        const string source = """
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            sealed class Listener
            {
                private readonly Socket _socket;
                private readonly byte[] _shared = new byte[1500];
                private string[] _rules = [];

                public Listener(Socket socket) { _socket = socket; }

                public void Start()
                {
                    Task.Factory.StartNew(() => Receive());
                    Task.Factory.StartNew(() => {|#0:ReceiveAndParse()|});
                    Task.Factory.StartNew(() => {|#1:ReceiveIntoField()|});
                    foreach (var feed in new[] { "a", "b" })
                    {
                        Task.Run(() => {|#2:Poll(feed)|});
                    }
                }

                private void Receive()
                {
                    while (true)
                    {
                        try
                        {
                            var buffer = new byte[1500];
                            EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
                            var count = _socket.ReceiveFrom(buffer, ref remote);
                            Task.Factory.StartNew(() => Handle(buffer, count, (IPEndPoint)remote));
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }

                private void ReceiveAndParse()
                {
                    while (true)
                    {
                        var buffer = new byte[1500];
                        var count = _socket.Receive(buffer);
                        Handle(buffer, count, null);
                    }
                }

                private void ReceiveIntoField()
                {
                    while (true)
                    {
                        _socket.Receive(_shared);
                        Task.Run(() => {|#3:Handle(_shared, _shared.Length, null)|});
                    }
                }

                private void Poll(string feed)
                {
                    while (true)
                    {
                        _rules = RuleParser.Parse(feed);
                    }
                }

                private void Handle(byte[] buffer, int count, IPEndPoint? remote) => _rules = RuleParser.Parse(BitConverter.ToString(buffer, 0, count));
            }
            """ + Parser;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Escapes(0, "The Task.Factory.StartNew callback (line 17)", "reads content with Socket.Receive (line 47), through Listener.ReceiveAndParse (line 17)"),
            Escapes(1, "The Task.Factory.StartNew callback (line 18)", "reads content with Socket.Receive (line 56), through Listener.ReceiveIntoField (line 18)"),
            Escapes(2, "The Task.Run callback (line 21)", "calls the content parser RuleParser.Parse (line 65), through Listener.Poll (line 21)"),
            Escapes(3, "The Task.Run callback (line 57)", "calls the content parser RuleParser.Parse (line 69), through Listener.Handle (line 57)"));
    }

    [Fact]
    public async Task LoopsThatDecodeOrShareWhatTheyRead_OrStartTasksPerConfiguredItem_AreFlagged()
    {
        // A read that decodes (ReadString's length prefix) can throw on the content in the call itself; a buffer that is
        // a field's is parsed past the task; feeds read from a file start a long-lived task each, not one per datagram.
        const string source = """
            using System;
            using System.IO;
            using System.Net.Sockets;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;

            sealed class Listener
            {
                private readonly Socket _socket;
                private readonly BinaryReader _reader;
                private readonly byte[] _shared = new byte[64];
                private int _port;

                public Listener(Socket socket, BinaryReader reader) { _socket = socket; _reader = reader; }

                public void Start(string path)
                {
                    new Thread(() =>
                    {
                        while (true)
                        {
                            var name = {|#0:_reader.ReadString()|};
                            Task.Run(() => Console.WriteLine(name));
                        }
                    }).Start();
                    new Thread(() =>
                    {
                        while (true)
                        {
                            var b = _shared;
                            {|#1:_socket.Receive(b)|};
                            _port = int.Parse(Encoding.ASCII.GetString(_shared));
                        }
                    }).Start();
                    foreach (var feed in File.ReadAllLines(path))
                    {
                        Task.Run(() => {|#2:Poll(feed)|});
                    }
                }

                private void Poll(string feed)
                {
                    while (true)
                    {
                        _port = int.Parse(File.ReadAllText(feed));
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Escapes(0, "The Thread callback (line 19)", "reads content with BinaryReader.ReadString (line 23)"),
            Escapes(1, "The Thread callback (line 27)", "reads content with Socket.Receive (line 32)"),
            Escapes(2, "The Task.Run callback (line 38)", "reads content with File.ReadAllText (line 46), through Listener.Poll (line 38)"));
    }

    [Fact]
    public async Task AsyncVoidHandlers_MethodGroupCallbacks_AndMain_WithNoHandler_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Net.Http;
            using System.Threading;

            class Agent
            {
                static string[] current = [];

                static void Main(string[] args)
                {
                    current = {|#0:RuleParser.Parse(args[0])|};
                    var watcher = new FileSystemWatcher(args[1]);
                    watcher.Changed += async (s, e) => current = (await {|#1:File.ReadAllTextAsync(e.FullPath)|}).Split(',');
                    new Thread({|#2:Worker|}).Start();
                }

                static async void OnUpdate(HttpClient client, Uri feed)
                {
                    var text = await {|#3:client.GetStringAsync(feed)|};
                    current = text.Split(',');
                }

                static void Worker()
                {
                    while (true)
                    {
                        current = RuleParser.Parse(File.ReadAllText("rules.txt"));
                        Thread.Sleep(60_000);
                    }
                }
            }
            """ + Parser;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Escapes(0, "Main", "calls the content parser RuleParser.Parse (line 12)"),
            Escapes(1, "The async void lambda (line 14)", "reads content with File.ReadAllTextAsync (line 14)"),
            Escapes(2, "The Thread callback 'Worker' (line 15)", "calls the content parser RuleParser.Parse (line 28)"),
            Escapes(3, "The async void method 'OnUpdate'", "reads content with HttpClient.GetStringAsync (line 20)"));
    }

    [Fact]
    public async Task HandlersThatLetIncidentalExceptionsEscape_AreFlagged_AndNamed()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            class Agent
            {
                string[] current = [];

                void Start(string path)
                {
                    Task.Run(() =>
                    {
                        try { current = {|#0:RuleParser.Parse(path)|}; }
                        catch (InvalidDataException) { }
                    });
                    Task.Run(() =>
                    {
                        try { current = {|#1:RuleParser.Parse(path)|}; }
                        catch (InvalidDataException) { }
                        catch (FormatException) { }
                        catch (IndexOutOfRangeException) { }
                        catch (ArgumentException) { }
                    });
                    Task.Run(() =>
                    {
                        try { current = {|#2:RuleParser.Parse(path)|}; }
                        catch (Exception e) { Console.Error.WriteLine(e); throw; }
                    });
                    Task.Run(() =>
                    {
                        try { current = {|#3:RuleParser.Parse(path)|}; }
                        catch (Exception e) { throw new InvalidDataException("bad rules", e); }
                    });
                    Task.Run(() =>
                    {
                        try { current = {|#4:RuleParser.Parse(path)|}; }
                        catch (Exception e) when (Log(e)) { }
                    });
                    Task.Run(() =>
                    {
                        try { current = {|#5:RuleParser.Parse(path)|}; }
                        catch (NullReferenceException) { throw; }
                        catch (Exception) { }
                    });
                }

                static bool Log(Exception e) => false;
            }
            """ + Parser;

        const string all = "IndexOutOfRangeException, NullReferenceException, InvalidCastException, KeyNotFoundException, ArgumentOutOfRangeException and OverflowException";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Escapes(0, "The Task.Run callback (line 11)", "calls the content parser RuleParser.Parse (line 13)", $"with a handler for InvalidDataException (line 14) that lets {all} escape"),
            Escapes(1, "The Task.Run callback (line 16)", "calls the content parser RuleParser.Parse (line 18)", "with a handler for InvalidDataException, FormatException, IndexOutOfRangeException and ArgumentException (line 19) that lets NullReferenceException, InvalidCastException, KeyNotFoundException and OverflowException escape"),
            Escapes(2, "The Task.Run callback (line 24)", "calls the content parser RuleParser.Parse (line 26)", $"with a handler (line 27) that throws again, which lets {all} escape"),
            Escapes(3, "The Task.Run callback (line 29)", "calls the content parser RuleParser.Parse (line 31)", $"with a handler (line 32) that throws again, which lets {all} escape"),
            Escapes(4, "The Task.Run callback (line 34)", "calls the content parser RuleParser.Parse (line 36)", $"with a handler for Exception (line 37) that lets {all} escape"),
            Escapes(5, "The Task.Run callback (line 39)", "calls the content parser RuleParser.Parse (line 41)", "with a handler (line 42) that throws again, which lets NullReferenceException escape"));
    }

    [Fact]
    public async Task ContentReachedThroughHelpers_IsFlaggedAtTheCall_UpToThreeCallsDeep()
    {
        const string source = """
            using System.IO;
            using System.Threading.Tasks;

            class Agent
            {
                string[] current = [];

                void Start(string path)
                {
                    Task.Run(() => {|#0:Reload(path)|});
                    Task.Run(() => Deeper(path));
                }

                private void Reload(string path) => current = Split(path);
                private static string[] Split(string path) => Read(path).Split(',');
                private static string Read(string path) => File.ReadAllText(path);

                // A fourth method between the entry and the read is past the walk's depth.
                private void Deeper(string path) => Reload(path);
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Escapes(0, "The Task.Run callback (line 10)", "reads content with File.ReadAllText (line 16), through Agent.Reload (line 10), through Agent.Split (line 14), through Agent.Read (line 15)"));
    }

    [Fact]
    public async Task HandlersThatReject_AndCodeThatIsNoEntry_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            class Agent
            {
                string[] current = [];

                async Task Start(string path)
                {
                    new Thread(() =>
                    {
                        try { current = RuleParser.Parse(File.ReadAllText(path)); }
                        catch (Exception e) { Console.Error.WriteLine($"Rejected, keeping the last known good: {e.Message}"); }
                    }).Start();
                    Task.Run(() =>
                    {
                        try { current = RuleParser.Parse(path); }
                        catch (InvalidDataException) { }
                        catch (SystemException) { }
                    });
                    Task.Run(() =>
                    {
                        try { current = RuleParser.Parse(path); }
                        catch (IndexOutOfRangeException) { } catch (NullReferenceException) { } catch (InvalidCastException) { }
                        catch (System.Collections.Generic.KeyNotFoundException) { } catch (ArgumentOutOfRangeException) { } catch (OverflowException) { }
                    });
                    Task.Run(() =>
                    {
                        try { current = RuleParser.Parse(path); }
                        catch (Exception e) when (e is not OperationCanceledException) { }
                    });
                    Task.Run(() =>
                    {
                        try
                        {
                            try { current = RuleParser.Parse(path); }
                            catch (InvalidDataException) { throw; }
                        }
                        catch { }
                    });
                    Task.Run(() => Guarded(path));
                    Task.Run(() => Console.WriteLine(path));
                    current = await Task.Run(() => RuleParser.Parse(path));
                    var lines = File.ReadAllLines(path).Select(l => RuleParser.Parse(l)).ToList();
                }

                private void Guarded(string path)
                {
                    try { current = RuleParser.Parse(path); }
                    catch (Exception) { return; }
                }
            }
            """ + Parser;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task TerminationInParserItsCatchOrItsHelper_IsFlagged()
    {
        const string source = """
            using System;
            using System.Diagnostics;
            using System.IO;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class ContentParserAttribute : Attribute { }

            static class Channel
            {
                [ContentParser]
                public static string[] Parse(string text)
                {
                    var fields = text.Split(',');
                    if (fields.Length != 20) {|#0:Environment.FailFast("channel file has the wrong field count")|};
                    try { return fields[19].Split(';'); }
                    catch (Exception) { {|#1:Environment.Exit(3)|}; return null; }
                }

                [ContentParser]
                public static int Count(string text)
                {
                    if (text.Length == 0) {|#2:Stop()|};
                    return text.Length;
                }

                private static void Stop() => Process.GetCurrentProcess().Kill();
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Ends(0, "Environment.FailFast (line 14)", "inside the content parser Channel.Parse"),
            Ends(1, "Environment.Exit (line 16)", "inside the content parser Channel.Parse"),
            Ends(2, "Process.Kill (line 26), through Channel.Stop (line 22),", "inside the content parser Channel.Count"));
    }

    [Fact]
    public async Task ParsersThatReject_AndTerminationPastTheDepth_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class ContentParserAttribute : Attribute { }

            static class Channel
            {
                [ContentParser]
                public static string[] Parse(string text)
                {
                    var fields = text.Split(',');
                    if (fields.Length != 20) throw new InvalidDataException($"{fields.Length} fields, expected 20");
                    try { return fields[19].Split(';'); }
                    catch (IndexOutOfRangeException e) { throw new InvalidDataException("bad field 19", e); }
                }

                [ContentParser]
                public static int Count(string text) => One(text);

                // Four calls below the parser: past the walk's depth.
                private static int One(string text) => Two(text);
                private static int Two(string text) => Three(text);
                private static int Three(string text) => Four(text);
                private static int Four(string text) { Environment.FailFast(text); return 0; }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task TerminationInTheHandlerOfAContentRead_IsFlagged_ElsewhereQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class Program
            {
                static int Main(string[] args)
                {
                    if (args.Length == 0) Environment.Exit(2);
                    try
                    {
                        var rules = File.ReadAllText(args[0]).Split(',');
                        Console.WriteLine(rules[3]);
                    }
                    catch (IndexOutOfRangeException)
                    {
                        {|#0:Environment.Exit(1)|};
                    }
                    catch (Exception)
                    {
                        {|#1:Fatal()|};
                    }

                    try { Console.WriteLine(args[1]); }
                    catch (Exception) { Environment.FailFast("no second argument"); }
                    return 0;
                }

                private static void Fatal() => Environment.FailFast("content broken");
            }
            """;

        const string where = "in the handler of a try that reads content with File.ReadAllText (line 11)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Ends(0, "Environment.Exit (line 16)", where),
            Ends(1, "Environment.FailFast (line 28), through Program.Fatal (line 20),", where));
    }

    [Fact]
    public async Task Fix_WrapsFromTheFirstUnprotectedCallToTheEndOfItsBlock()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Threading;

            class Agent
            {
                string[] current = [];

                void Start(string path)
                {
                    new Thread(() =>
                    {
                        while (true)
                        {
                            Thread.Sleep(60_000);
                            var text = {|#0:File.ReadAllText(path)|};
                            current = RuleParser.Parse(text);
                            Console.WriteLine(current.Length);
                        }
                    }).Start();
                }
            }
            """ + Parser;

        const string fixedSource = """
            using System;
            using System.Diagnostics;
            using System.IO;
            using System.Threading;

            class Agent
            {
                string[] current = [];

                void Start(string path)
                {
                    new Thread(() =>
                    {
                        while (true)
                        {
                            Thread.Sleep(60_000);
                            try
                            {
                                var text = File.ReadAllText(path);
                                current = RuleParser.Parse(text);
                                Console.WriteLine(current.Length);
                            }
                            catch (Exception exception)
                            {
                                Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception);
                            }
                        }
                    }).Start();
                }
            }
            """ + Parser;

        await VerifyCS.VerifyCodeFixAsync(source, [Escapes(0, "The Thread callback (line 11)", "reads content with File.ReadAllText (line 16)")], fixedSource);
    }

    [Fact]
    public async Task Fix_GivesAnExpressionLambdaABlock_AndMainAnExitCode()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;

            class Program
            {
                static string[] current = [];

                static int Main(string[] args)
                {
                    Task.Run(() => current = {|#0:RuleParser.Parse(args[1])|});
                    if (args.Length > 0)
                    {
                        var exception = args[0];
                        current = {|#1:RuleParser.Parse(exception)|};
                        return current.Length;
                    }

                    return 0;
                }
            }
            """ + Parser;

        const string fixedSource = """
            using System;
            using System.Diagnostics;
            using System.Threading.Tasks;

            class Program
            {
                static string[] current = [];

                static int Main(string[] args)
                {
                    Task.Run(() =>
                    {
                        try
                        {
                            current = RuleParser.Parse(args[1]);
                        }
                        catch (Exception exception)
                        {
                            Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception);
                        }
                    });
                    if (args.Length > 0)
                    {
                        var exception = args[0];
                        try
                        {
                            current = RuleParser.Parse(exception);
                            return current.Length;
                        }
                        catch (Exception exception1)
                        {
                            Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception1);
                            return 1;
                        }
                    }

                    return 0;
                }
            }
            """ + Parser;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                Escapes(0, "The Task.Run callback (line 10)", "calls the content parser RuleParser.Parse (line 10)"),
                Escapes(1, "Main", "calls the content parser RuleParser.Parse (line 14)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task FixAll_WrapsEveryEntryOfTheDocument_InOnePass()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Agent
            {
                string[] current = [];

                void Start(string path)
                {
                    new Thread({|#0:Worker|}).Start();
                    Task.Run(async () =>
                    {
                        try { current = (await {|#1:File.ReadAllTextAsync(path)|}).Split(','); }
                        catch (InvalidDataException) { }
                    });
                }

                async void OnChanged(object sender, FileSystemEventArgs e)
                {
                    var text = await {|#2:File.ReadAllTextAsync(e.FullPath)|};
                    current = RuleParser.Parse(text);
                }

                void Worker()
                {
                    current = RuleParser.Parse(File.ReadAllText("rules.txt"));
                }
            }
            """ + Parser;

        const string fixedSource = """
            using System;
            using System.Diagnostics;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Agent
            {
                string[] current = [];

                void Start(string path)
                {
                    new Thread(Worker).Start();
                    Task.Run(async () =>
                    {
                        try
                        {
                            try { current = (await File.ReadAllTextAsync(path)).Split(','); }
                            catch (InvalidDataException) { }
                        }
                        catch (Exception exception)
                        {
                            Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception);
                        }
                    });
                }

                async void OnChanged(object sender, FileSystemEventArgs e)
                {
                    try
                    {
                        var text = await File.ReadAllTextAsync(e.FullPath);
                        current = RuleParser.Parse(text);
                    }
                    catch (Exception exception)
                    {
                        Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception);
                    }
                }

                void Worker()
                {
                    try
                    {
                        current = RuleParser.Parse(File.ReadAllText("rules.txt"));
                    }
                    catch (Exception exception)
                    {
                        Trace.TraceError("Content rejected; the last known good stays in use: {0}", exception);
                    }
                }
            }
            """ + Parser;

        const string all = "IndexOutOfRangeException, NullReferenceException, InvalidCastException, KeyNotFoundException, ArgumentOutOfRangeException and OverflowException";
        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Escapes(0, "The Thread callback 'Worker' (line 12)", "calls the content parser RuleParser.Parse (line 28)"),
                Escapes(1, "The Task.Run callback (line 13)", "reads content with File.ReadAllTextAsync (line 15)", $"with a handler for InvalidDataException (line 16) that lets {all} escape"),
                Escapes(2, "The async void method 'OnChanged'", "reads content with File.ReadAllTextAsync (line 22)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task Fix_IsNotOffered_WhereTheEntryReturnsAValue()
    {
        // A lambda with a block body that returns a value cannot end in a catch that returns nothing; an
        // expression-bodied method is left as it is.
        const string source = """
            using System;
            using System.Threading.Tasks;

            class Agent
            {
                void Start(string path) => _ = Task.Run(() =>
                {
                    var rules = {|#0:RuleParser.Parse(path)|};
                    return rules.Length;
                });

                void Watch() => new System.Threading.Thread({|#1:Reload|}).Start();

                static void Reload() => RuleParser.Parse("rules.txt");
            }
            """ + Parser;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                Escapes(0, "The Task.Run callback (line 6)", "calls the content parser RuleParser.Parse (line 8)"),
                Escapes(1, "The Thread callback 'Reload' (line 12)", "calls the content parser RuleParser.Parse (line 14)"),
            ],
            source);
    }

    [Fact]
    public async Task TopLevelStatements_AreAnEntry()
    {
        var test = new VerifyCS.Test
        {
            TestCode = """
                using System;
                using System.IO;

                var rules = {|#0:File.ReadAllText(args[0])|}.Split(',');
                Console.WriteLine(rules[3]);
                """,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Escapes(0, "The top-level statements", "reads content with File.ReadAllText (line 4)"));
        await VerifyCS.RunAsync(test);
    }
}
