using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A reader that checks a count against what is left of its input before it returns it (as serializers' array and map
/// headers do) gives a count bounded by the input: an array or loop of that many elements is not an amplification.
/// </summary>
public class InputCheckedCountTests
{
    private const string Reader = """
        using System;
        using System.Buffers.Binary;
        using System.Diagnostics;
                using System.IO;

        struct PackReader
        {
            private readonly byte[] input;
            private int position;

            public PackReader(byte[] input)
            {
                this.input = input;
                this.position = 0;
            }

            private int Remaining => this.input.Length - this.position;

            public int ReadArrayHeader()
            {
                ThrowUnless(this.TryReadInt32(out int count));
                ThrowUnless(this.Remaining >= count);
                return count;
            }

            public int ReadMapHeader()
            {
                int count = this.ReadInt32();
                if ((long)count * 2 > this.Remaining)
                {
                    throw new EndOfStreamException();
                }

                return count;
            }

            public int ReadAssertedHeader()
            {
                int count = this.ReadInt32();
                Debug.Assert(this.Remaining >= count);
                return count;
            }

            public int ReadBackwardsHeader()
            {
                int count = this.ReadInt32();
                ThrowUnless(count >= this.Remaining);
                return count;
            }

            public int ReadLenientHeader(bool strict)
            {
                int count = this.ReadInt32();
                if (strict)
                {
                    ThrowUnless(this.Remaining >= count);
                }

                return count;
            }

            public int ReadWideHeader()
            {
                int count = this.ReadInt32();
                if (count * 4 > this.Remaining)
                {
                    throw new EndOfStreamException();
                }

                return count;
            }

            public int ReadInt32()
            {
                int value = BinaryPrimitives.ReadInt32BigEndian(this.input.AsSpan(this.position, 4));
                this.position += 4;
                return value;
            }

            public bool TryReadInt32(out int value)
            {
                value = this.ReadInt32();
                return true;
            }

            private static void ThrowUnless(bool condition)
            {
                if (!condition)
                {
                    ThrowEndOfInput();
                }
            }

            private static EndOfStreamException ThrowEndOfInput() => throw new EndOfStreamException();
        }

        """;

    [Fact]
    public async Task CountCheckedAgainstTheInputLeft_IsBoundedByTheInput()
    {
        // An array header checked against the bytes left (through a throw-unless helper) and a map header checked by an
        // if that throws (two bytes an entry) are bounded by the input, and so is what is left after taking one off a count
        // known to be positive (a negative count less one could wrap). A check in Debug.Assert is gone in a release
        // build, one the wrong way round keeps only counts at least the input left, one made only on some path keeps
        // nothing on the others, and an int product (count * 4) can wrap past the check: all stay flagged.
        const string source = Reader + """
            static class Formatters
            {
                public static int[] ReadArray(byte[] data)
                {
                    var reader = new PackReader(data);
                    int length = reader.ReadArrayHeader();
                    var result = new int[length];
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = reader.ReadInt32();
                    }

                    return result;
                }

                public static object[] ReadMap(byte[] data)
                {
                    var reader = new PackReader(data);
                    int count = reader.ReadMapHeader();
                    return new object[count];
                }

                public static int[] ReadTail(byte[] data)
                {
                    var reader = new PackReader(data);
                    int length = reader.ReadArrayHeader();
                    if (length <= 0)
                    {
                        return Array.Empty<int>();
                    }

                    int rest = length - 1;
                    return new int[rest];
                }

                public static System.Collections.Generic.List<object> Placeholders(byte[] data)
                {
                    var reader = new PackReader(data);
                    int count = reader.ReadArrayHeader();
                    var items = new System.Collections.Generic.List<object>();
                    for (int i = 0; i < count; i++)
                    {
                        items.Add(new object());
                    }

                    return items;
                }

                public static int[] ReadAsserted(byte[] data)
                {
                    var reader = new PackReader(data);
                    int length = reader.ReadAssertedHeader();
                    return new int[{|#0:length|}];
                }

                public static int[] ReadLenient(byte[] data)
                {
                    var reader = new PackReader(data);
                    int length = reader.ReadLenientHeader(false);
                    return new int[{|#2:length|}];
                }

                public static int[] ReadWide(byte[] data)
                {
                    var reader = new PackReader(data);
                    int length = reader.ReadWideHeader();
                    return new int[{|#3:length|}];
                }

                public static int[] ReadBackwards(byte[] data)
                {
                    var reader = new PackReader(data);
                    int length = reader.ReadBackwardsHeader();
                    return new int[{|#1:length|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("length", "PackReader.ReadAssertedHeader (line 147)", "new int[length]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("length", "PackReader.ReadBackwardsHeader (line 168)", "new int[length]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("length", "PackReader.ReadLenientHeader (line 154)", "new int[length]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(3).WithArguments("length", "PackReader.ReadWideHeader (line 161)", "new int[length]"));
    }

    [Fact]
    public async Task CountCheckedAgainstAReasonableLimitTheCallerGives_IsCappedWhenTheCallerGivesOne()
    {
        // A geometry reader reads each element count through one helper that throws past the limit its caller gives
        // (the bytes left over the smallest element). A trusted limit caps the count as a check at the call would. The
        // default limit (int.MaxValue), a limit read from the content, a check in Debug.Assert and a helper that only
        // rejects negatives keep it flagged.
        const string source = """
            using System;
            using System.Diagnostics;
            using System.IO;

            class GeometryReader
            {
                private static int ReasonableNumElements(Stream stream) => (int)(stream.Length - stream.Position) / 8;

                private int ReadNumField(BinaryReader reader, string fieldName, int reasonableNumField = int.MaxValue)
                {
                    int num = reader.ReadInt32();
                    if (num < 0 || num > reasonableNumField)
                    {
                        throw new InvalidDataException(fieldName + " value is too large");
                    }

                    return (int)num;
                }

                private int ReadAsserted(BinaryReader reader, int reasonable)
                {
                    int num = reader.ReadInt32();
                    Debug.Assert(num <= reasonable);
                    return num;
                }

                private int ReadNonNegative(BinaryReader reader, int reasonable)
                {
                    int num = reader.ReadInt32();
                    if (num < 0)
                    {
                        throw new InvalidDataException("negative");
                    }

                    return num;
                }

                public object[] ReadCollection(BinaryReader reader) =>
                    new object[ReadNumField(reader, "numGeometries", ReasonableNumElements(reader.BaseStream))];

                public object[] ReadRings(BinaryReader reader) => new object[ReadNumField(reader, "numRings", 4096)];

                public object[] ReadUnlimited(BinaryReader reader) => new object[{|#0:ReadNumField(reader, "numPoints")|}];

                public object[] ReadLimitFromContent(BinaryReader reader) => new object[{|#1:ReadNumField(reader, "numPoints", reader.ReadInt32())|}];

                public object[] ReadAssertedCount(BinaryReader reader) => new object[{|#2:ReadAsserted(reader, 4096)|}];

                public object[] ReadNonNegativeCount(BinaryReader reader) => new object[{|#3:ReadNonNegative(reader, 4096)|}];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("ReadNumField(reader, \"numPoints\")", "ReadNumField (BinaryReader.ReadInt32 (line 11))", "new object[ReadNumField(reader, \"numPoints\")]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("ReadNumField(reader, \"numPoints\", reader.ReadInt32())", "ReadNumField (BinaryReader.ReadInt32 (line 11))", "new object[ReadNumField(reader, \"numPoints\", reader.ReadI..."),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("ReadAsserted(reader, 4096)", "ReadAsserted (BinaryReader.ReadInt32 (line 22))", "new object[ReadAsserted(reader, 4096)]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(3).WithArguments("ReadNonNegative(reader, 4096)", "ReadNonNegative (BinaryReader.ReadInt32 (line 29))", "new object[ReadNonNegative(reader, 4096)]"));
    }

    [Fact]
    public async Task LimitOrCountTheHelperMayChangeUnseen_CapsNothing()
    {
        // The limit or the count is written again through a deconstruction or a ref alias after the check, or the
        // helper is virtual and an override does not check: none caps the count.
        const string source = """
            using System.IO;

            class Reader
            {
                private int ReadDeconstructedLimit(BinaryReader reader, int reasonable)
                {
                    int num = reader.ReadInt32();
                    (reasonable, _) = (reader.ReadInt32(), 0);
                    if (num < 0 || num > reasonable) throw new InvalidDataException();
                    return num;
                }

                private int ReadAliasedCount(BinaryReader reader, int reasonable)
                {
                    int num = reader.ReadInt32();
                    ref int alias = ref num;
                    if (num < 0 || num > reasonable) throw new InvalidDataException();
                    alias = reader.ReadInt32();
                    return num;
                }

                protected virtual int ReadVirtual(BinaryReader reader, int reasonable)
                {
                    int num = reader.ReadInt32();
                    if (num < 0 || num > reasonable) throw new InvalidDataException();
                    return num;
                }

                public object[] A(BinaryReader reader) => new object[{|#0:ReadDeconstructedLimit(reader, 4096)|}];

                public object[] B(BinaryReader reader) => new object[{|#1:ReadAliasedCount(reader, 4096)|}];

                public object[] C(BinaryReader reader) => new object[{|#2:ReadVirtual(reader, 4096)|}];
            }

            class Lenient : Reader
            {
                protected override int ReadVirtual(BinaryReader reader, int reasonable) => reader.ReadInt32();
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("ReadDeconstructedLimit(reader, 4096)", "ReadDeconstructedLimit (BinaryReader.ReadInt32 (line 7))", "new object[ReadDeconstructedLimit(reader, 4096)]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("ReadAliasedCount(reader, 4096)", "ReadAliasedCount (BinaryReader.ReadInt32 (line 15))", "new object[ReadAliasedCount(reader, 4096)]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("ReadVirtual(reader, 4096)", "ReadVirtual (BinaryReader.ReadInt32 (line 24))", "new object[ReadVirtual(reader, 4096)]"));
    }
}
