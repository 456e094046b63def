using System;
using System.Diagnostics;
using System.Reflection;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>
    /// Judges one run in the process that runs it: returning or a declared rejection passes, any other exception fails.
    /// Time, memory and death are judged from outside (<see cref="RunnerProcess"/>), since a process cannot judge its
    /// own death.
    /// </summary>
    public static class Oracle
    {
        /// <summary>Runs the parser on the input and says how it went.</summary>
        public static Outcome Judge(Action<byte[]> parse, byte[] input, Rejections rejections, Assembly parserAssembly) =>
            Judge(parse, input, rejections, parserAssembly, out _);

        /// <summary>Runs the parser on the input and says how it went and how long the parser ran.</summary>
        public static Outcome Judge(Action<byte[]> parse, byte[] input, Rejections rejections, Assembly parserAssembly, out TimeSpan elapsed)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                parse(input);
                elapsed = Stopwatch.GetElapsedTime(started);
                return new Outcome(OutcomeKind.Passed);
            }
#pragma warning disable CA1031 // Judging every exception is the point.
            catch (Exception e)
#pragma warning restore CA1031
            {
                elapsed = Stopwatch.GetElapsedTime(started);
                return Describe(e, rejections, parserAssembly);
            }
        }

        /// <summary>The outcome an exception stands for, with its throwing frame in the parser's own code.</summary>
        public static Outcome Describe(Exception exception, Rejections rejections, Assembly parserAssembly)
        {
            string type = exception.GetType().FullName ?? exception.GetType().Name;
            if (rejections.Covers(exception))
            {
                // Most mutated inputs end here: no stack walk or symbol reading for a pass.
                return new Outcome(OutcomeKind.Rejected, type, OneLine(exception.Message));
            }

            OutcomeKind kind = exception is OutOfMemoryException ? OutcomeKind.MemoryLimit : OutcomeKind.Exception;
            StackFrame? frame = ThrowingFrame(new StackTrace(exception, fNeedFileInfo: true), parserAssembly);
            MethodBase? method = frame?.GetMethod();
            return new Outcome(
                kind,
                type,
                OneLine(exception.Message),
                method is null ? "" : $"{method.DeclaringType?.FullName?.Replace('+', '.')}.{method.Name}",
                frame?.GetFileName() ?? "",
                frame?.GetFileLineNumber() ?? 0);
        }

        /// <summary>The topmost frame in the parser's assembly: the line of the parser that failed, not the framework's throw helper.</summary>
        private static StackFrame? ThrowingFrame(StackTrace trace, Assembly parserAssembly)
        {
            StackFrame[] frames = trace.GetFrames();
            foreach (StackFrame frame in frames)
            {
                if (frame.GetMethod()?.Module.Assembly == parserAssembly)
                {
                    return frame;
                }
            }

            return frames.Length > 0 ? frames[0] : null;
        }

        internal static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ").Trim();
    }
}
