using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace SecureByDesign.Resilience.Mutation
{
    /// <summary>
    /// Makes mutated inputs from the corpus, deterministically from its <see cref="Random"/>: one to three stacked
    /// mutations, each one of GATES.md's binary strategies (bit flips, boundary bytes, integers at 2-, 4- and 8-byte
    /// positions set to 0, -1, min, max or length+1, truncation, extension, chunk duplication and removal, splicing
    /// of two corpus files) or, when the corpus is text, a record-aware one (<see cref="RecordMutator"/>).
    /// </summary>
    public sealed class Mutator
    {
        /// <summary>Inputs never grow past this, so a run measures the parser, not the copying.</summary>
        public const int MaxInputBytes = 1 << 20;

        private static readonly byte[] BoundaryBytes = { 0x00, 0x01, 0x7F, 0x80, 0xFF };

        private readonly Random random;
        private readonly IReadOnlyList<byte[]> seeds;
        private readonly RecordMutator? records;

        /// <summary>Creates a mutator over the seeds (the corpus files that parse; an empty list mutates the empty input).</summary>
        public Mutator(IReadOnlyList<byte[]> seeds, TextShape? shape, int seed)
        {
            random = new Random(seed);
            this.seeds = seeds.Count > 0 ? seeds : new[] { Array.Empty<byte>() };
            records = shape is null ? null : new RecordMutator(shape, random);
        }

        /// <summary>The next mutated input.</summary>
        public byte[] Next()
        {
            byte[] input = seeds[random.Next(seeds.Count)];
            int stack = 1 + random.Next(3);
            for (int i = 0; i < stack; i++)
            {
                input = records is not null && random.Next(2) == 0 ? records.Mutate(input) : MutateBytes(input);
            }

            return input.Length > MaxInputBytes ? input.AsSpan(0, MaxInputBytes).ToArray() : input;
        }

        private byte[] MutateBytes(byte[] input)
        {
            if (input.Length == 0)
            {
                return Extend(input);
            }

            return random.Next(9) switch
            {
                0 => FlipBit(input),
                1 => SetBoundaryByte(input),
                2 => SetInteger(input),
                3 => SetInteger(input),
                4 => Truncate(input),
                5 => Extend(input),
                6 => DuplicateChunk(input),
                7 => RemoveChunk(input),
                _ => Splice(input),
            };
        }

        private byte[] FlipBit(byte[] input)
        {
            byte[] copy = (byte[])input.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            return copy;
        }

        private byte[] SetBoundaryByte(byte[] input)
        {
            byte[] copy = (byte[])input.Clone();
            copy[random.Next(copy.Length)] = BoundaryBytes[random.Next(BoundaryBytes.Length)];
            return copy;
        }

        /// <summary>An integer field (2, 4 or 8 bytes, either byte order) set to 0, -1, min, max or the input's length + 1.</summary>
        private byte[] SetInteger(byte[] input)
        {
            int width = 2 << random.Next(3);
            if (input.Length < width)
            {
                return SetBoundaryByte(input);
            }

            byte[] copy = (byte[])input.Clone();
            int at = random.Next(copy.Length - width + 1);
            long value = random.Next(5) switch
            {
                0 => 0,
                1 => -1,
                2 => width == 2 ? short.MinValue : width == 4 ? int.MinValue : long.MinValue,
                3 => width == 2 ? short.MaxValue : width == 4 ? int.MaxValue : long.MaxValue,
                _ => input.Length + 1,
            };
            Span<byte> field = copy.AsSpan(at, width);
            bool little = random.Next(2) == 0;
            switch (width)
            {
                case 2 when little: BinaryPrimitives.WriteInt16LittleEndian(field, (short)value); break;
                case 2: BinaryPrimitives.WriteInt16BigEndian(field, (short)value); break;
                case 4 when little: BinaryPrimitives.WriteInt32LittleEndian(field, (int)value); break;
                case 4: BinaryPrimitives.WriteInt32BigEndian(field, (int)value); break;
                case 8 when little: BinaryPrimitives.WriteInt64LittleEndian(field, value); break;
                default: BinaryPrimitives.WriteInt64BigEndian(field, value); break;
            }

            return copy;
        }

        private byte[] Truncate(byte[] input) => input.AsSpan(0, random.Next(input.Length)).ToArray();

        private byte[] Extend(byte[] input)
        {
            var extra = new byte[1 + random.Next(random.Next(2) == 0 ? 16 : 4096)];
            if (random.Next(2) == 0)
            {
                random.NextBytes(extra);
            }

            return Concat(input, extra);
        }

        private byte[] DuplicateChunk(byte[] input)
        {
            (int start, int length) = Chunk(input.Length);
            byte[] copy = new byte[input.Length + length];
            input.AsSpan(0, start + length).CopyTo(copy);
            input.AsSpan(start).CopyTo(copy.AsSpan(start + length));
            return copy;
        }

        private byte[] RemoveChunk(byte[] input)
        {
            (int start, int length) = Chunk(input.Length);
            return Concat(input.AsSpan(0, start).ToArray(), input.AsSpan(start + length).ToArray());
        }

        /// <summary>The head of this input and the tail of another corpus file.</summary>
        private byte[] Splice(byte[] input)
        {
            byte[] other = seeds[random.Next(seeds.Count)];
            return Concat(input.AsSpan(0, random.Next(input.Length + 1)).ToArray(), other.AsSpan(random.Next(other.Length + 1)).ToArray());
        }

        private (int Start, int Length) Chunk(int size)
        {
            int start = random.Next(size);
            return (start, 1 + random.Next(Math.Min(size - start, 256)));
        }

        private static byte[] Concat(byte[] head, byte[] tail)
        {
            byte[] result = new byte[head.Length + tail.Length];
            head.CopyTo(result, 0);
            tail.CopyTo(result, head.Length);
            return result;
        }
    }
}
