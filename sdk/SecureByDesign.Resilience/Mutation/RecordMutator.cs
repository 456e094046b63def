using System;
using System.Collections.Generic;
using System.Text;

namespace SecureByDesign.Resilience.Mutation
{
    /// <summary>
    /// Record-aware mutations of text content: one field more or one field fewer in a record, an empty field, a very
    /// long field, a number at a boundary, deep nesting. Input that is not UTF-8 (after a byte mutation) is left as is.
    /// </summary>
    internal sealed class RecordMutator
    {
        private const int LongField = 100_000;
        private const int NestingDepth = 100_000;
        private static readonly string[] Numbers = { "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e308", "NaN", "0x7FFFFFFF" };
        private static readonly string[] Openers = { "[", "{", "(", "<a>" };
        private static readonly Lazy<string>[] Nestings = Array.ConvertAll(Openers, opener => new Lazy<string>(() => Nest(opener)));

        private readonly TextShape shape;
        private readonly Random random;

        public RecordMutator(TextShape shape, Random random)
        {
            this.shape = shape;
            this.random = random;
        }

        public byte[] Mutate(byte[] input)
        {
            if (!TextShape.TryDecode(input, out string text))
            {
                return input;
            }

            List<List<string>> records = shape.Split(text);
            List<string> fields = records[random.Next(records.Count)];
            int at = random.Next(fields.Count);
            switch (random.Next(7))
            {
                case 0:
                    fields.Insert(at, fields[random.Next(fields.Count)]);
                    break;
                case 1 when fields.Count > 1:
                    fields.RemoveAt(at);
                    break;
                case 2:
                    fields[at] = "";
                    break;
                case 3:
                    fields[at] = new string(fields[at].Length > 0 ? fields[at][0] : 'A', LongField);
                    break;
                case 4:
                    fields[at] = Numbers[random.Next(Numbers.Length)];
                    break;
                case 5:
                    fields[at] = Nestings[random.Next(Nestings.Length)].Value + fields[at];
                    break;
                default:
                    records.Insert(random.Next(records.Count + 1), new List<string>(fields));
                    break;
            }

            return shape.Join(records);
        }

        private static string Nest(string opener)
        {
            var builder = new StringBuilder(opener.Length * NestingDepth);
            for (int i = 0; i < NestingDepth; i++)
            {
                builder.Append(opener);
            }

            return builder.ToString();
        }
    }
}
