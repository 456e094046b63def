using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>The resilience gate's error codes (SBD6xxx failures, SBD705x configuration), each with its docs page.</summary>
    public static class GateCodes
    {
        /// <summary>The parser threw an exception that is not a declared rejection.</summary>
        public const string UnexpectedException = "SBD6001";

        /// <summary>The parser ran past the per-input time limit.</summary>
        public const string TimeLimit = "SBD6002";

        /// <summary>The parser allocated past the per-input memory limit.</summary>
        public const string MemoryLimit = "SBD6003";

        /// <summary>The runner process died.</summary>
        public const string RunnerDied = "SBD6004";

        /// <summary>A corpus file that ships does not parse.</summary>
        public const string CorpusRejected = "SBD6005";

        /// <summary>A parser that is named but not found, or marked but not of a parser's shape.</summary>
        public const string UnknownParser = "SBD7050";

        /// <summary>The runner cannot start, or cannot load the assembly or the parser.</summary>
        public const string RunnerCannotStart = "SBD7051";

        /// <summary>A corpus file or folder that does not exist.</summary>
        public const string CorpusNotFound = "SBD7052";

        /// <summary>Where the pages live.</summary>
        public const string HelpLinkBase = Gates.GateHelpLink.Base;

        /// <summary>The code for a failed run found by mutation.</summary>
        public static string For(OutcomeKind kind) => kind switch
        {
            OutcomeKind.TimeLimit => TimeLimit,
            OutcomeKind.MemoryLimit => MemoryLimit,
            OutcomeKind.Died => RunnerDied,
            _ => UnexpectedException,
        };

        /// <summary>The code's page.</summary>
        public static string HelpLink(string code) => Gates.GateHelpLink.For(code);

        /// <summary>One error in canonical MSBuild form, which a ToolTask logs as an error with its code.</summary>
        public static string Format(string origin, string code, string message) => $"{origin}: error {code}: {message} ({HelpLink(code)})";
    }
}
