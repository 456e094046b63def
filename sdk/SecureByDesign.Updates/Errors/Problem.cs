namespace SecureByDesign.Updates.Errors
{
    /// <summary>One problem found in a repository: a stable code and a one-line message.</summary>
    public sealed class Problem
    {
        /// <summary>Creates a problem.</summary>
        public Problem(string code, string message)
        {
            Code = code;
            Message = message;
        }

        /// <summary>The stable code, one of <see cref="ProblemCodes"/>.</summary>
        public string Code { get; }

        /// <summary>A one-line message naming the file, and the JSON path when there is one.</summary>
        public string Message { get; }

        /// <summary>The code and the message, as <c>sbd verify</c> prints them.</summary>
        public override string ToString() => Code + " " + Message;
    }
}
