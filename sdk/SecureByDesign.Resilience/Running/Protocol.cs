using System.IO;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>
    /// What the driver and the runner say over the runner's standard input and output. The runner answers once when
    /// it has loaded the parser (<see cref="Ready"/> or <see cref="LoadFailed"/> and why), then once per input it is
    /// sent (a length-prefixed byte array) with how long the parser ran and an <see cref="Outcome"/>. The parser's own console output goes to
    /// standard error, which the driver keeps the tail of.
    /// </summary>
    internal static class Protocol
    {
        public const byte Ready = 0xA0;
        public const byte LoadFailed = 0xA1;

        public static void WriteInput(BinaryWriter writer, byte[] input)
        {
            writer.Write(input.Length);
            writer.Write(input);
            writer.Flush();
        }

        public static byte[]? ReadInput(BinaryReader reader)
        {
            try
            {
                int length = reader.ReadInt32();
                return reader.ReadBytes(length);
            }
            catch (EndOfStreamException)
            {
                return null;
            }
        }

        public static void WriteOutcome(BinaryWriter writer, Outcome outcome, double milliseconds)
        {
            writer.Write(milliseconds);
            writer.Write((byte)outcome.Kind);
            writer.Write(outcome.Reason);
            writer.Write(outcome.Message);
            writer.Write(outcome.Frame);
            writer.Write(outcome.File);
            writer.Write(outcome.Line);
            writer.Flush();
        }

        public static (Outcome Outcome, double Milliseconds) ReadOutcome(BinaryReader reader)
        {
            double milliseconds = reader.ReadDouble();
            var outcome = new Outcome((OutcomeKind)reader.ReadByte(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadInt32());
            return (outcome, milliseconds);
        }
    }
}
