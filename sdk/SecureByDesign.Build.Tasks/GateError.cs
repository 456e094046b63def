namespace SecureByDesign.Build.Tasks
{
    /// <summary>One gate error: its code, the file it is about, and what is wrong and what to do.</summary>
    public sealed class GateError
    {
        /// <summary>Creates an error.</summary>
        public GateError(string code, string file, string message)
        {
            Code = code;
            File = file;
            Message = message;
        }

        /// <summary>The SBDnnnn code.</summary>
        public string Code { get; }

        /// <summary>The file the error is about (absolute when the tool wrote it so).</summary>
        public string File { get; }

        /// <summary>The message.</summary>
        public string Message { get; }

        /// <summary>The code's page.</summary>
        public string HelpLink => Gates.GateHelpLink.For(Code);

        /// <summary>
        /// Reads one line in the canonical form sbd writes, <c>FILE: error SBDnnnn: MESSAGE</c>; null for any other line.
        /// The file may itself hold a colon (<c>C:\...</c>), so the line is split at <c>: error SBD</c>.
        /// </summary>
        public static GateError? Parse(string line)
        {
            const string Marker = ": error SBD";
            int at = line.IndexOf(Marker, System.StringComparison.Ordinal);
            if (at <= 0)
            {
                return null;
            }

            int codeStart = at + ": error ".Length;
            int codeEnd = codeStart + "SBDnnnn".Length;
            if (line.Length < codeEnd + 2 || line[codeEnd] != ':' || line[codeEnd + 1] != ' ' || !Digits(line, codeStart + 3, 4))
            {
                return null;
            }

            return new GateError(line.Substring(codeStart, codeEnd - codeStart), line.Substring(0, at).Trim(), line.Substring(codeEnd + 2));
        }

        private static bool Digits(string text, int start, int count)
        {
            for (int i = start; i < start + count; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
