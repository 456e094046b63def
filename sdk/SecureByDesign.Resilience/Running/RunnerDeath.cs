using System;
using System.Linq;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>Reads why a runner died from its exit code and what the runtime wrote to standard error.</summary>
    internal static class RunnerDeath
    {
        private static readonly string[] Notices = { "Stack overflow.", "Process terminated.", "Unhandled exception.", "Fatal error." };

        public static bool StartsNotice(string line) => Notices.Any(n => line.StartsWith(n, StringComparison.Ordinal));

        public static Outcome Describe(int exitCode, string notice)
        {
            string[] lines = notice.Split('\n');
            string first = lines.FirstOrDefault(StartsNotice) ?? "";
            string reason = first.StartsWith("Stack overflow.", StringComparison.Ordinal) ? "stack overflow"
                : first.StartsWith("Process terminated.", StringComparison.Ordinal) ? "FailFast"
                : first.StartsWith("Unhandled exception.", StringComparison.Ordinal) ? UnhandledType(first)
                : first.StartsWith("Fatal error.", StringComparison.Ordinal) ? "fatal error"
                : ExitReason(exitCode);
            string message = reason == "FailFast" ? FailFastMessage(lines, first)
                : reason == "stack overflow" ? ""
                : first.Length > 0 ? Oracle.OneLine(first)
                : $"exit code {exitCode}";
            return new Outcome(OutcomeKind.Died, reason, message, UserFrame(lines));
        }

        private static string UnhandledType(string line)
        {
            // "Unhandled exception. System.InvalidOperationException: message"
            string rest = line.Substring("Unhandled exception.".Length).Trim();
            int colon = rest.IndexOf(':');
            return "unhandled " + (colon > 0 ? rest.Substring(0, colon) : rest);
        }

        private static string FailFastMessage(string[] lines, string first)
        {
            string inline = first.Substring("Process terminated.".Length).Trim();
            if (inline.Length > 0)
            {
                return inline;
            }

            int at = Array.IndexOf(lines, first);
            return at + 1 < lines.Length ? Oracle.OneLine(lines[at + 1]) : "";
        }

        private static string ExitReason(int exitCode) => exitCode switch
        {
            134 => "abort (SIGABRT)",
            137 => "killed (SIGKILL)",
            139 => "segmentation fault (SIGSEGV)",
            unchecked((int)0xC00000FD) => "stack overflow",
            unchecked((int)0xC0000005) => "access violation",
            unchecked((int)0xC0000409) => "FailFast",
            _ => $"exit code {exitCode}",
        };

        /// <summary>The first frame of the runtime's trace that is not the framework's or the runner's.</summary>
        private static string UserFrame(string[] lines)
        {
            foreach (string raw in lines)
            {
                string line = raw.Trim();
                if (!line.StartsWith("at ", StringComparison.Ordinal))
                {
                    continue;
                }

                string frame = line.Substring(3);
                int paren = frame.IndexOf('(');
                frame = paren > 0 ? frame.Substring(0, paren) : frame;
                if (!frame.StartsWith("System.", StringComparison.Ordinal) && !frame.StartsWith("Microsoft.", StringComparison.Ordinal)
                    && !frame.StartsWith("SecureByDesign.Resilience.", StringComparison.Ordinal) && !frame.StartsWith("DynamicClass", StringComparison.Ordinal))
                {
                    return frame.Replace('+', '.');
                }
            }

            return "";
        }
    }
}
