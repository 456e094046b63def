using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Resilience.Mutation;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>
    /// Makes a failing input small while it still fails the same way: for text, fewest records, then fewest fields,
    /// then empty and shorter fields (so a record with one field too many stays a record with one field too many);
    /// for binary, fewest bytes. Removal in halving chunks, within a budget of runs.
    /// </summary>
    public static class Shrinker
    {
        /// <summary>Shrinks <paramref name="input"/>; <paramref name="stillFails"/> runs a candidate.</summary>
        public static byte[] Shrink(byte[] input, TextShape? shape, Func<byte[], bool> stillFails, int budget)
        {
            var runs = new Budget(budget, stillFails);
            if (shape is not null && TextShape.TryDecode(input, out string text))
            {
                return ShrinkText(shape.Split(text), shape, runs);
            }

            return Reduce(input.ToList(), candidate => runs.Fails(candidate.ToArray())).ToArray();
        }

        private static byte[] ShrinkText(List<List<string>> records, TextShape shape, Budget runs)
        {
            bool Fails(List<List<string>> candidate) => runs.Fails(shape.Join(candidate));

            records = Reduce(records, Fails);
            for (int r = 0; r < records.Count; r++)
            {
                int record = r;
                records[record] = Reduce(records[record], fields => Fails(With(records, record, fields)));
                for (int f = 0; f < records[record].Count; f++)
                {
                    string field = records[record][f];
                    while (field.Length > 0)
                    {
                        string shorter = field.Length == 1 ? "" : field.Substring(0, field.Length / 2);
                        var candidate = new List<string>(records[record]) { [f] = shorter };
                        if (!Fails(With(records, record, candidate)))
                        {
                            break;
                        }

                        records[record] = candidate;
                        field = shorter;
                    }
                }
            }

            return shape.Join(records);
        }

        private static List<List<string>> With(List<List<string>> records, int index, List<string> fields)
        {
            var copy = new List<List<string>>(records) { [index] = fields };
            return copy;
        }

        /// <summary>Removes chunks of halving size while the rest still fails.</summary>
        private static List<T> Reduce<T>(List<T> items, Func<List<T>, bool> fails)
        {
            for (int chunk = Math.Max(1, items.Count / 2); chunk >= 1; chunk /= 2)
            {
                for (int start = 0; start < items.Count;)
                {
                    var candidate = new List<T>(items);
                    candidate.RemoveRange(start, Math.Min(chunk, items.Count - start));
                    if (fails(candidate))
                    {
                        items = candidate;
                    }
                    else
                    {
                        start += chunk;
                    }
                }
            }

            return items;
        }

        /// <summary>Counts runs; once spent, every candidate counts as passing, so shrinking stops where it is.</summary>
        private sealed class Budget
        {
            private readonly Func<byte[], bool> stillFails;
            private int left;

            public Budget(int runs, Func<byte[], bool> stillFails)
            {
                left = runs;
                this.stillFails = stillFails;
            }

            public bool Fails(byte[] candidate) => left-- > 0 && stillFails(candidate);
        }
    }
}
