using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SecureByDesign.Resilience.Parsers;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>
    /// One runner process for one parser, seen from the driver: sends inputs, waits at most the time limit for each
    /// answer, and turns a silence into <see cref="OutcomeKind.TimeLimit"/> (the runner is killed) and a closed pipe into
    /// <see cref="OutcomeKind.Died"/> with what the runner last wrote to standard error.
    /// </summary>
    public sealed class RunnerProcess : IDisposable
    {
        private const int TailLines = 200;
        private const int DeathLines = 60;
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan HungGrace = TimeSpan.FromSeconds(1);

        private readonly Process process;
        private readonly BinaryWriter writer;
        private readonly BinaryReader reader;
        private readonly Queue<string> errorTail = new();
        private readonly List<string> deathNotice = new();
        private readonly TaskCompletionSource errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private RunnerProcess(Process process)
        {
            this.process = process;
            writer = new BinaryWriter(process.StandardInput.BaseStream);
            reader = new BinaryReader(process.StandardOutput.BaseStream);
            process.ErrorDataReceived += (_, e) => KeepTail(e.Data);
            process.BeginErrorReadLine();
        }

        /// <summary>Whether the runner can take another input.</summary>
        public bool IsAlive { get; private set; } = true;

        /// <summary>Starts a runner and waits until it has loaded the parser.</summary>
        /// <exception cref="RunnerStartException">The runner could not start or could not load the parser.</exception>
        public static RunnerProcess Start(RunnerCommand command, string assemblyPath, ParserMethod parser, Rejections rejections, long memoryLimitBytes)
        {
            var info = new ProcessStartInfo(command.FileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!,
            };
            foreach (string argument in command.Prefix)
            {
                info.ArgumentList.Add(argument);
            }

            foreach (string argument in new[] { Path.GetFullPath(assemblyPath), parser.TypeName, parser.MethodName, parser.Input.ToString(), memoryLimitBytes.ToString(CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(argument);
            }

            foreach (string name in rejections.Names)
            {
                info.ArgumentList.Add(name);
            }

            // A hard ceiling under the watchdog, so that one huge allocation fails in the runner, not in the machine.
            info.Environment["DOTNET_GCHeapHardLimit"] = (memoryLimitBytes * 2 + (256L << 20)).ToString("X", CultureInfo.InvariantCulture);
            info.Environment["DOTNET_DbgEnableMiniDump"] = "0";

            // Fully optimised code from the first call: with tiering, a frame's size (and so the depth at which a
            // recursive parser overflows its stack) depends on when a background compile finished.
            info.Environment["DOTNET_TieredCompilation"] = "0";

            Process process;
            try
            {
                process = Process.Start(info) ?? throw new RunnerStartException($"{command.FileName} did not start");
            }
            catch (Win32Exception e)
            {
                throw new RunnerStartException($"{command.FileName} cannot be started: {e.Message}");
            }

            var runner = new RunnerProcess(process);
            try
            {
                Task<string?> hello = Task.Run(runner.ReadHello);
                if (!hello.Wait(StartTimeout))
                {
                    throw new RunnerStartException($"the runner did not load {parser.Name} within {StartTimeout.TotalSeconds:0} s");
                }

                if (hello.Result is { } problem)
                {
                    throw new RunnerStartException(problem);
                }
            }
            catch
            {
                runner.Dispose();
                throw;
            }

            return runner;
        }

        /// <summary>Runs one input, waiting at most <paramref name="timeLimit"/> for the answer.</summary>
        public Outcome Run(byte[] input, TimeSpan timeLimit)
        {
            if (!IsAlive)
            {
                throw new InvalidOperationException("The runner has stopped; start another.");
            }

            // The runner times the parser itself; a watchdog kills a runner too hung or too starved to answer at all,
            // which ends the read below. Reading on this thread keeps a run to one pipe round trip.
            TimeSpan deadline = timeLimit + HungGrace;
            int hung = 0;
            (Outcome, double)? answer;
            using (new Timer(_ => { Interlocked.Exchange(ref hung, 1); KillProcess(); }, null, deadline, Timeout.InfiniteTimeSpan))
            {
                try
                {
                    Protocol.WriteInput(writer, input);
                    answer = Protocol.ReadOutcome(reader);
                }
                catch (IOException)
                {
                    answer = null;
                }
            }

            if (Volatile.Read(ref hung) == 1)
            {
                Kill();
                return new Outcome(OutcomeKind.TimeLimit, "time limit", FormattableString.Invariant($"no answer within {deadline.TotalMilliseconds:0} ms"));
            }

            if (answer is ({ } outcome, double milliseconds))
            {
                if (milliseconds > timeLimit.TotalMilliseconds)
                {
                    return new Outcome(OutcomeKind.TimeLimit, "time limit", FormattableString.Invariant($"ran {milliseconds:0} ms, over the limit of {timeLimit.TotalMilliseconds:0} ms"));
                }

                if (outcome.Kind == OutcomeKind.MemoryLimit)
                {
                    // The runner reports a memory limit and ends itself; an out-of-memory exception may leave it sick.
                    Kill();
                }

                return outcome;
            }

            Kill();
            return RunnerDeath.Describe(process.ExitCode, DeathNotice());
        }

        /// <summary>Ends the runner.</summary>
        public void Dispose()
        {
            if (IsAlive)
            {
                try
                {
                    writer.Dispose();
                }
                catch (IOException)
                {
                }
            }

            Kill();
            process.Dispose();
        }

        private string? ReadHello()
        {
            try
            {
                byte hello = reader.ReadByte();
                return hello == Protocol.Ready ? null
                    : hello == Protocol.LoadFailed ? reader.ReadString()
                    : $"the runner answered {hello:X2}, not the runner protocol";
            }
            catch (IOException)
            {
                process.WaitForExit(5000);
                string tail = Tail().Trim();
                return $"the runner exited before it loaded the parser{(process.HasExited ? $" (exit code {process.ExitCode})" : "")}{(tail.Length > 0 ? ": " + Oracle.OneLine(Last(tail, 400)) : "")}";
            }
        }

        private void Kill()
        {
            IsAlive = false;
            try
            {
                KillProcess();
                process.WaitForExit(10_000);

                // Let the standard error reader catch up with the runner's last words.
                errorClosed.Task.Wait(2000);
            }
            catch (InvalidOperationException)
            {
            }
        }

        private void KillProcess()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        private void KeepTail(string? line)
        {
            lock (errorTail)
            {
                if (line is null)
                {
                    errorClosed.TrySetResult();
                    return;
                }

                if ((deathNotice.Count > 0 || RunnerDeath.StartsNotice(line)) && deathNotice.Count < DeathLines)
                {
                    deathNotice.Add(line);
                }

                errorTail.Enqueue(line);
                if (errorTail.Count > TailLines)
                {
                    errorTail.Dequeue();
                }
            }
        }

        private string Tail()
        {
            lock (errorTail)
            {
                return string.Join("\n", errorTail);
            }
        }

        /// <summary>What the runtime wrote when the runner died, or else the last lines of standard error.</summary>
        private string DeathNotice()
        {
            lock (errorTail)
            {
                return deathNotice.Count > 0 ? string.Join("\n", deathNotice) : string.Join("\n", errorTail);
            }
        }

        private static string Last(string text, int chars) => text.Length <= chars ? text : text.Substring(text.Length - chars);
    }

    /// <summary>The runner could not start or load the parser: the gate cannot decide, so it fails.</summary>
    public sealed class RunnerStartException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public RunnerStartException(string message)
            : base(message)
        {
        }
    }
}
