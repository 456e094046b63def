using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using SecureByDesign.Resilience.Parsers;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>
    /// The runner process's side: loads one parser, then judges every input it is sent until its input closes. A
    /// watchdog thread ends the process when a run allocates past the memory limit (a thread cannot be stopped in
    /// .NET, so the process is); time limits and deaths are the driver's to see.
    /// </summary>
    public static class RunnerHost
    {
        /// <summary>The hidden verb of <c>sbd</c> that starts a runner.</summary>
        public const string Verb = "resilience-runner";

        /// <summary>The stack the parser runs on: the size of a .NET secondary thread on Linux, the same on every OS.</summary>
        public const int StackBytes = 1536 * 1024;

        /// <summary>
        /// Runs the runner: <c>ASSEMBLY TYPE METHOD INPUT-KIND MEMORY-LIMIT-BYTES [REJECTION-TYPE...]</c>, speaking
        /// <see cref="Protocol"/> on standard input and output.
        /// </summary>
        public static int Run(string[] args)
        {
            Stream output = Console.OpenStandardOutput();
            Stream input = Console.OpenStandardInput();
            Console.SetOut(Console.Error);
            var writer = new BinaryWriter(output);
            var reader = new BinaryReader(input);
            int exit = 0;
            var thread = new Thread(() => exit = Serve(args, reader, writer), StackBytes) { Name = "sbd parser" };
            thread.Start();
            thread.Join();
            return exit;
        }

        private static int Serve(string[] args, BinaryReader reader, BinaryWriter writer)
        {
            Action<byte[]> parse;
            Assembly assembly;
            Rejections rejections;
            long memoryLimit;
            try
            {
                var parser = new ParserMethod(args[1] + "." + args[2], args[1], args[2], Enum.Parse<InputKind>(args[3]), Attributed: false);
                memoryLimit = long.Parse(args[4], CultureInfo.InvariantCulture);
                rejections = new Rejections(args.Skip(5).ToArray());
                parse = ParserInvoker.Load(args[0], parser);
                assembly = parse.Method.Module.Assembly;
            }
#pragma warning disable CA1031 // Whatever stops the load is reported to the driver, which fails closed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                writer.Write(Protocol.LoadFailed);
                writer.Write($"{Oracle.OneLine(e.Message)} ({e.GetType().Name})");
                writer.Flush();
                return 1;
            }

            writer.Write(Protocol.Ready);
            writer.Flush();
            var watchdog = new MemoryWatchdog(memoryLimit, writer);
            while (Protocol.ReadInput(reader) is { } bytes)
            {
                // Only the parser's own run is timed: describing an exception (reading symbols) is the runner's cost.
                watchdog.Start();
                Outcome outcome = Oracle.Judge(parse, bytes, rejections, assembly, out TimeSpan elapsed);
                if (watchdog.Stop(ref outcome))
                {
                    lock (writer)
                    {
                        Protocol.WriteOutcome(writer, outcome, elapsed.TotalMilliseconds);
                    }
                }
            }

            return 0;
        }

        /// <summary>Samples the process's allocated bytes while a run is on; past the limit, reports and exits.</summary>
        private sealed class MemoryWatchdog
        {
            private readonly long limit;
            private readonly BinaryWriter writer;
            private long startBytes;
            private int running;
            private bool fired;

            public MemoryWatchdog(long limit, BinaryWriter writer)
            {
                this.limit = limit;
                this.writer = writer;
                new Thread(Watch, 256 * 1024) { IsBackground = true, Name = "sbd memory watchdog" }.Start();
            }

            public void Start()
            {
                startBytes = GC.GetTotalAllocatedBytes(precise: true);
                Volatile.Write(ref running, 1);
            }

            /// <summary>
            /// Ends a run; false when the watchdog has already answered for it. A run that went past the limit between
            /// two samples is caught here, with an exact count, so the same input is judged the same way every time.
            /// </summary>
            public bool Stop(ref Outcome outcome)
            {
                Volatile.Write(ref running, 0);
                lock (writer)
                {
                    if (fired)
                    {
                        return false;
                    }
                }

                long allocated = GC.GetTotalAllocatedBytes(precise: true) - startBytes;
                if (outcome.Kind != OutcomeKind.MemoryLimit && allocated > limit)
                {
                    outcome = OverLimit(allocated);
                }

                return true;
            }

            private Outcome OverLimit(long allocated) =>
                new(OutcomeKind.MemoryLimit, "memory limit", $"allocated {allocated / (1024 * 1024)} MB, over the limit of {limit / (1024 * 1024)} MB");

            private void Watch()
            {
                while (true)
                {
                    Thread.Sleep(5);
                    if (Volatile.Read(ref running) == 0)
                    {
                        continue;
                    }

                    long allocated = GC.GetTotalAllocatedBytes() - startBytes;
                    if (allocated > limit)
                    {
                        lock (writer)
                        {
                            if (Volatile.Read(ref running) == 0)
                            {
                                continue;
                            }

                            fired = true;
                            Protocol.WriteOutcome(writer, OverLimit(allocated), 0);
                        }

                        Environment.Exit(3);
                    }
                }
            }
        }
    }
}
