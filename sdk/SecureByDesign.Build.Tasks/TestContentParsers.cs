using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SecureByDesign.Build.Tasks
{
    /// <summary>
    /// The resilience gate (<c>SecureByDesignResilience</c>): <c>sbd fuzz</c> over the built assembly, its
    /// <c>[ContentParser]</c> methods and <c>&lt;ContentParser&gt;</c> items, each with its corpus files and rejection
    /// types. The parsers run in sbd's runner process, never in MSBuild's.
    /// </summary>
    public sealed class TestContentParsers : SbdToolTask
    {
        /// <summary>The resilience gate's code for a corpus pattern that matches no file.</summary>
        public const string CorpusNotFound = "SBD7052";

        /// <summary>The built assembly (the one in the output folder, beside its <c>.deps.json</c>).</summary>
        [Required]
        public string Assembly { get; set; } = string.Empty;

        /// <summary><c>ContentParser</c> items: <c>Ns.Type.Method</c>, with <c>Corpus</c> and <c>Rejects</c> metadata.</summary>
        public ITaskItem[] Parsers { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The corpus files, each with the <c>Parser</c> and the <c>Pattern</c> (its <c>Corpus</c>) that matched it.</summary>
        public ITaskItem[] CorpusFiles { get; set; } = Array.Empty<ITaskItem>();

        /// <summary><c>SecureByDesignResilienceSeconds</c>: how long to mutate each parser.</summary>
        public string? Seconds { get; set; }

        /// <summary><c>SecureByDesignResilienceSeed</c>.</summary>
        public string? Seed { get; set; }

        /// <summary><c>SecureByDesignResilienceTimeLimitMs</c>: the per-input time limit.</summary>
        public string? TimeLimitMs { get; set; }

        /// <summary><c>SecureByDesignResilienceMemoryLimitMB</c>: the per-input memory limit.</summary>
        public string? MemoryLimitMB { get; set; }

        /// <summary>Where failing inputs are written (<c>obj/.../sbd/resilience</c>).</summary>
        [Required]
        public string OutputDirectory { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override string SummaryPrefix => "resilience:";

        /// <inheritdoc />
        protected override string GateName => "resilience";

        /// <inheritdoc />
        protected override IEnumerable<GateError> CheckSettings() => Problems(BuildEngine?.ProjectFileOfTaskNode ?? Assembly);

        /// <summary>The settings' problems, each about <paramref name="project"/>: bad numbers (SBD7003), a corpus that matches nothing (SBD7052).</summary>
        internal IEnumerable<GateError> Problems(string project)
        {
            if (!double.TryParse(Seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0)
            {
                yield return BadValue(project, "SecureByDesignResilienceSeconds", Seconds, "a number of seconds, 0 or more");
            }

            if (!int.TryParse(Seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                yield return BadValue(project, "SecureByDesignResilienceSeed", Seed, "an integer");
            }

            if (!int.TryParse(TimeLimitMs, NumberStyles.None, CultureInfo.InvariantCulture, out int milliseconds) || milliseconds < 1)
            {
                yield return BadValue(project, "SecureByDesignResilienceTimeLimitMs", TimeLimitMs, "a number of milliseconds, 1 or more");
            }

            if (!int.TryParse(MemoryLimitMB, NumberStyles.None, CultureInfo.InvariantCulture, out int megabytes) || megabytes < 1)
            {
                yield return BadValue(project, "SecureByDesignResilienceMemoryLimitMB", MemoryLimitMB, "a number of megabytes, 1 or more");
            }

            foreach (ITaskItem parser in Parsers)
            {
                string corpus = parser.GetMetadata("Corpus");
                if (corpus.Length > 0 && !CorpusFiles.Any(f => f.GetMetadata("Parser") == parser.ItemSpec && f.GetMetadata("Pattern") == corpus))
                {
                    yield return new GateError(CorpusNotFound, project, $"the corpus of {parser.ItemSpec}, '{corpus}', matches no file");
                }
            }
        }

        /// <inheritdoc />
        protected override void AppendArguments(CommandLineBuilder builder) => AppendFuzzArguments(builder);

        /// <summary>The arguments of <c>sbd fuzz</c>.</summary>
        internal void AppendFuzzArguments(CommandLineBuilder builder)
        {
            builder.AppendSwitch("fuzz");
            builder.AppendFileNameIfNotNull(Assembly);
            builder.AppendSwitch("--all-marked");
            foreach (ITaskItem parser in Parsers)
            {
                builder.AppendSwitchIfNotNull("--parser ", parser.ItemSpec);
                foreach (string type in parser.GetMetadata("Rejects").Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    builder.AppendSwitchIfNotNull("--rejects ", parser.ItemSpec + "=" + type.Trim());
                }
            }

            foreach (ITaskItem file in CorpusFiles)
            {
                builder.AppendSwitchIfNotNull("--corpus ", file.GetMetadata("Parser") + "=" + file.GetMetadata("FullPath"));
            }

            builder.AppendSwitchIfNotNull("--seconds ", Seconds);
            builder.AppendSwitchIfNotNull("--seed ", Seed);
            builder.AppendSwitchIfNotNull("--time-limit-ms ", TimeLimitMs);
            builder.AppendSwitchIfNotNull("--memory-limit-mb ", MemoryLimitMB);
            builder.AppendSwitchIfNotNull("--out ", OutputDirectory);
        }

        /// <inheritdoc />
        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            // sbd fuzz names the parser's source line when the assembly has symbols: FILE(LINE): error SBD6001: ...
            if (GateError.Parse(singleLine) is GateError error && SplitLine(error.File) is (string file, int line))
            {
                Log.LogError(null, error.Code, null, error.HelpLink, file, line, 0, 0, 0, "{0}", error.Message);
                return;
            }

            base.LogEventsFromTextOutput(singleLine, messageImportance);
        }

        /// <summary>Splits <c>FILE(LINE)</c>; null when there is no line.</summary>
        internal static (string File, int Line)? SplitLine(string origin)
        {
            int open = origin.LastIndexOf('(');
            return open > 0 && origin.EndsWith(")", StringComparison.Ordinal)
                && int.TryParse(origin.Substring(open + 1, origin.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int line)
                ? (origin.Substring(0, open), line)
                : ((string, int)?)null;
        }

        private static GateError BadValue(string project, string property, string? value, string expected) =>
            new GateError("SBD7003", project, $"{property} is '{value}', which is not {expected}");
    }
}
