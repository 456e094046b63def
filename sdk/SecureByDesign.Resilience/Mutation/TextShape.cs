using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SecureByDesign.Resilience.Mutation
{
    /// <summary>
    /// The record structure of text content: records are lines, fields are separated by the most frequent of
    /// <c>, \t ; |</c>. Content is text when every corpus file is UTF-8 with no control characters but tab and line
    /// breaks; otherwise the binary strategies alone apply.
    /// </summary>
    public sealed class TextShape
    {
        private static readonly char[] Candidates = { ',', '\t', ';', '|' };
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private TextShape(char separator)
        {
            Separator = separator;
        }

        /// <summary>The field separator.</summary>
        public char Separator { get; }

        /// <summary>The shape of the corpus, or null when it is binary (or empty).</summary>
        public static TextShape? Detect(IReadOnlyList<byte[]> corpus)
        {
            if (corpus.Count == 0)
            {
                return null;
            }

            var counts = new int[Candidates.Length];
            foreach (byte[] file in corpus)
            {
                if (!TryDecode(file, out string text) || text.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
                {
                    return null;
                }

                for (int i = 0; i < Candidates.Length; i++)
                {
                    counts[i] += text.Count(c => c == Candidates[i]);
                }
            }

            int best = Array.IndexOf(counts, counts.Max());
            return new TextShape(Candidates[best]);
        }

        /// <summary>Decodes the bytes when they are valid UTF-8.</summary>
        public static bool TryDecode(byte[] bytes, out string text)
        {
            try
            {
                text = StrictUtf8.GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                text = "";
                return false;
            }
        }

        /// <summary>Splits text into records (lines, without their breaks) and fields.</summary>
        public List<List<string>> Split(string text)
        {
            string[] lines = text.Split('\n');
            return lines.Select(line => line.Split(Separator).ToList()).ToList();
        }

        /// <summary>Joins records and fields back into bytes.</summary>
        public byte[] Join(List<List<string>> records) =>
            Encoding.UTF8.GetBytes(string.Join("\n", records.Select(fields => string.Join(Separator, fields))));
    }
}
