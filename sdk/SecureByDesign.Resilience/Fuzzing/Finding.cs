using System.Collections.Generic;
using System.Linq;
using System.Text;
using SecureByDesign.Resilience.Mutation;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>One failure of one parser, with the input that shows it.</summary>
    /// <param name="Code">The SBD6xxx code.</param>
    /// <param name="Parser">The parser's name.</param>
    /// <param name="Outcome">How the run ended.</param>
    /// <param name="InputFile">The input: the shrunk copy under the output folder, or the corpus file that failed.</param>
    /// <param name="Input">The input's bytes.</param>
    /// <param name="Replay">The one command that replays it.</param>
    public sealed record Finding(string Code, string Parser, Outcome Outcome, string InputFile, byte[] Input, string Replay)
    {
        /// <summary>The size of the input: bytes, and records and fields when it is text with records.</summary>
        public string Size(TextShape? shape)
        {
            if (shape is null || !TextShape.TryDecode(Input, out string text))
            {
                return $"{Input.Length} bytes";
            }

            List<List<string>> records = shape.Split(text);
            int fields = records.Max(r => r.Count);
            return $"{Input.Length} bytes, {records.Count} record(s), {fields} field(s) in the longest";
        }

        /// <summary>The finding as one MSBuild error line.</summary>
        public string ToMessage(TextShape? shape)
        {
            string where = Outcome.Where.Length > 0 ? " at " + Outcome.Where : "";
            string what = Outcome.Kind switch
            {
                OutcomeKind.Exception => $"{Parser} threw {Outcome.Reason}: {Outcome.Message}{where}",
                OutcomeKind.Rejected => $"{Parser} rejected it with {Outcome.Reason}: {Outcome.Message}{where}",
                OutcomeKind.TimeLimit => $"{Parser} ran past the time limit ({Outcome.Message})",
                OutcomeKind.MemoryLimit => $"{Parser} ran past the memory limit ({Outcome.Reason}: {Outcome.Message}){where}",
                OutcomeKind.Died => $"the runner died running {Parser} ({Outcome.Reason}{(Outcome.Message.Length > 0 ? ": " + Outcome.Message : "")}){where}; it was restarted",
                _ => $"{Parser} passed",
            };
            var message = new StringBuilder();
            message.Append(Code == GateCodes.CorpusRejected
                ? $"shipped corpus file '{InputFile}' does not parse: {what}; every file that ships must parse"
                : $"{what}, on input '{InputFile}' ({Size(shape)})");
            message.Append("; replay: ").Append(Replay);
            string origin = Outcome.File.Length > 0 ? $"{Outcome.File}({Outcome.Line})" : InputFile;
            return GateCodes.Format(origin, Code, message.ToString());
        }
    }
}
