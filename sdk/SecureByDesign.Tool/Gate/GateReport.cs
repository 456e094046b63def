using System;
using System.IO;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Tool.Gate
{
    /// <summary>
    /// Writes <c>sbd verify --format msbuild</c> lines: <c>FILE: error SBDnnnn: MESSAGE (SBDUnnn)</c>, the canonical
    /// MSBuild error form, with the file the problem is in made absolute, so the build's error list opens it.
    /// </summary>
    public sealed class GateReport
    {
        private readonly TextWriter _output;
        private readonly string _repository;
        private readonly string _trustedRoot;
        private readonly string? _previous;

        /// <summary>Creates a report for one verification.</summary>
        public GateReport(TextWriter output, string repository, string trustedRoot, string? previous)
        {
            _output = output;
            _repository = Path.GetFullPath(repository);
            _trustedRoot = Path.GetFullPath(trustedRoot);
            _previous = previous is null ? null : Path.GetFullPath(previous);
        }

        /// <summary>One library problem, as its SBD5xxx code.</summary>
        public void Write(Problem problem) =>
            Error(FileOf(problem.Message), GateCodes.ForProblem(problem.Code), problem.Message + " (" + problem.Code + ")");

        /// <summary>One error line with a gate code.</summary>
        public void Error(string file, string code, string message) =>
            _output.WriteLine($"{file}: error {code}: {OneLine(message)}");

        /// <summary>
        /// The file a library message names: its leading <c>metadata/...</c> or <c>targets/...</c> path (in the
        /// previous release when it says so), the trusted root, the targets metadata for a target's declarations,
        /// or else the repository folder.
        /// </summary>
        public string FileOf(string message)
        {
            const string Previous = "previous release ";
            string baseDirectory = _repository;
            if (message.StartsWith(Previous, StringComparison.Ordinal) && _previous is not null)
            {
                baseDirectory = _previous;
                message = message.Substring(Previous.Length);
            }

            if (message.StartsWith("trusted root", StringComparison.Ordinal))
            {
                return _trustedRoot;
            }

            int colon = message.IndexOf(": ", StringComparison.Ordinal);
            string head = colon > 0 ? message.Substring(0, colon) : string.Empty;
            if (head.StartsWith("metadata/", StringComparison.Ordinal) || head.StartsWith("targets/", StringComparison.Ordinal))
            {
                return Path.Combine(baseDirectory, head.Replace('/', Path.DirectorySeparatorChar));
            }

            // A target's custom.schema or custom.rollout is declared in the targets metadata.
            string targets = Path.Combine(baseDirectory, "metadata", "targets.json");
            if (message.StartsWith("target '", StringComparison.Ordinal) && File.Exists(targets))
            {
                return targets;
            }

            return baseDirectory;
        }

        private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
    }
}
