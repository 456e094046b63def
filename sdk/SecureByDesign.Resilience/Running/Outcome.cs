namespace SecureByDesign.Resilience.Running
{
    /// <summary>How one run of a parser on one input ended.</summary>
    public enum OutcomeKind
    {
        /// <summary>The parser returned.</summary>
        Passed,

        /// <summary>The parser threw a declared rejection type: it saw bad content and said so.</summary>
        Rejected,

        /// <summary>The parser threw anything else.</summary>
        Exception,

        /// <summary>The parser ran past the per-input time limit.</summary>
        TimeLimit,

        /// <summary>The parser allocated past the per-input memory limit.</summary>
        MemoryLimit,

        /// <summary>The runner process died (stack overflow, access violation, <c>FailFast</c>).</summary>
        Died,
    }

    /// <summary>How one run ended, and where it went wrong.</summary>
    /// <param name="Kind">The class of the outcome.</param>
    /// <param name="Reason">The exception's type name, or for a dead runner what killed it (<c>stack overflow</c>).</param>
    /// <param name="Message">The exception's message, or the runner's last words.</param>
    /// <param name="Frame">The throwing frame in the parser's code (<c>Ns.Type.Method</c>), when known.</param>
    /// <param name="File">The frame's source file, when the assembly has symbols.</param>
    /// <param name="Line">The frame's line, or 0.</param>
    public sealed record Outcome(OutcomeKind Kind, string Reason = "", string Message = "", string Frame = "", string File = "", int Line = 0)
    {
        /// <summary>The outcomes the gate accepts.</summary>
        public bool IsPass => Kind is OutcomeKind.Passed or OutcomeKind.Rejected;

        /// <summary>
        /// What makes two failures the same bug: their class, reason and throwing frame. Memory is one bug per parser:
        /// whether the sampling watchdog, the end-of-run count or an <see cref="System.OutOfMemoryException"/> caught
        /// it depends on timing, not on the input.
        /// </summary>
        public string Signature => Kind == OutcomeKind.MemoryLimit ? nameof(OutcomeKind.MemoryLimit) : $"{Kind}|{Reason}|{Frame}";

        /// <summary>The throwing frame with its file and line: <c>Ns.Type.Method (File.cs:12)</c>.</summary>
        public string Where => Frame.Length == 0 ? "" : File.Length == 0 ? Frame : $"{Frame} ({System.IO.Path.GetFileName(File)}:{Line})";
    }
}
