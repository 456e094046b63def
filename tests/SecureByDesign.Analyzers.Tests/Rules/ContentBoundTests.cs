using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// An index of the code's own (a caller's argument, a loop's start) compared with a count the content chose: the content
/// decides only how high it may go. Below a buffer of that count it is quiet, even when nothing proves it is not negative
/// (a negative index is the caller's bug, not the content's); an index read from the content, with the same check, is
/// flagged, and so is the code's own index used on another buffer.
/// </summary>
public class ContentBoundTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access, string why) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, why);

    [Fact]
    public async Task BitSet_CallersIndexBelowTheStoredCount_IsQuiet()
    {
        const string source = """
            using System.IO;

            struct BitSet
            {
                private readonly int size;
                private readonly uint[] words;

                public BitSet(BinaryReader reader)
                {
                    size = reader.ReadInt32();
                    words = new uint[{|#0:size|}];
                }

                public bool IsSet(int index)
                {
                    int word = index / 32;
                    if (word >= size) return false;
                    return (words[word] & (1u << (index % 32))) != 0;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("size", "BinaryReader.ReadInt32 (line 10)", "new uint[size]"));
    }

    [Fact]
    public async Task LengthCutToTheBuffer_OfTheCodesOwnCount_IsQuiet_OfACountReadFromTheContent_IsFlagged()
    {
        const string source = """
            using System.IO;

            class Mover
            {
                public static void Move(Stream stream, int length)
                {
                    var chunk = new BinaryReader(stream).ReadBytes(4096);
                    stream.Write(chunk, 0, length < chunk.Length ? length : chunk.Length);
                }

                public static void MoveRead(Stream stream)
                {
                    var reader = new BinaryReader(stream);
                    var length = reader.ReadInt32();
                    var chunk = reader.ReadBytes(4096);
                    {|#0:stream.Write(chunk, 0, length < chunk.Length ? length : chunk.Length)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, length < chunk.Length ? length : chunk.Length", "BinaryReader.ReadInt32 (line 14)", "stream.Write(chunk, 0, length < chunk.Length ? length : c...", "chunk.Length"));
    }

    [Fact]
    public async Task MinimumOfTheCodesOwnCountAndTheBuffer_IsQuiet_OfACountReadFromTheContent_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Mover
            {
                public static void Move(Stream stream, int length)
                {
                    var chunk = new BinaryReader(stream).ReadBytes(4096);
                    stream.Write(chunk, 0, Math.Min(length, chunk.Length));
                }

                public static void MoveRead(Stream stream)
                {
                    var reader = new BinaryReader(stream);
                    var length = reader.ReadInt32();
                    var chunk = reader.ReadBytes(4096);
                    {|#0:stream.Write(chunk, 0, Math.Min(length, chunk.Length))|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, Math.Min(length, chunk.Length)", "BinaryReader.ReadInt32 (line 15)", "stream.Write(chunk, 0, Math.Min(length, chunk.Length))", "chunk.Length"));
    }

    [Fact]
    public async Task CounterUpToAContentRank_BelowEachTable_IsQuiet_OnAnotherTable_IsFlagged()
    {
        const string source = """
            using System.IO;

            class ArrayShape
            {
                const int MaxDimensions = 32;

                public static long Dimensions(BinaryReader reader, int[] other)
                {
                    var rank = reader.ReadUInt32();
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxDimensions) throw new InvalidDataException();
                    var sizes = new uint[count];
                    long total = 0;
                    for (int i = 0; i < rank; i++)
                    {
                        if (i < sizes.Length) total += sizes[i];
                        if (i < sizes.Length) total += {|#0:other[i]|};
                    }

                    return total;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "i", "BinaryReader.ReadUInt32 (line 9)", "other[i]", "with a check against 'sizes.Length', not 'other.Length'"));
    }

    [Fact]
    public async Task OwnIndexAgainstAContentCount_QuietOnItsBuffer_FlaggedWhenReadOrOnAnotherBuffer()
    {
        const string source = """
            using System.IO;

            class Table
            {
                const int MaxEntries = 4096;

                static int[] Entries(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxEntries) throw new InvalidDataException();
                    return new int[count];
                }

                public static int Lookup(BinaryReader reader, int index)
                {
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxEntries) throw new InvalidDataException();
                    var entries = new int[count];
                    if (index >= count) return 0;
                    return entries[index];
                }

                public static int LookupRead(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxEntries) throw new InvalidDataException();
                    var entries = new int[count];
                    var index = reader.ReadInt32();
                    if (index >= count) return 0;
                    return {|#0:entries[index]|};
                }

                public static int LookupOther(BinaryReader reader, int[] other, int index)
                {
                    var count = reader.ReadInt32();
                    if (index >= count) return 0;
                    return {|#1:other[index]|};
                }

                public static int Sum(BinaryReader reader, int start)
                {
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxEntries) throw new InvalidDataException();
                    var entries = new int[count];
                    var sum = 0;
                    for (var i = start; i < count; i++) sum += entries[i];
                    return sum;
                }

                public static int SumFromRead(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxEntries) throw new InvalidDataException();
                    var entries = new int[count];
                    var sum = 0;
                    for (var i = reader.ReadInt32(); i < count; i++) sum += {|#2:entries[i]|};
                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "index", "BinaryReader.ReadInt32 (line 28)", "entries[index]", "with no check that it is not negative"),
            Index(1, "index", "BinaryReader.ReadInt32 (line 35)", "other[index]", "with no check against 'other.Length'"),
            Index(2, "i", "BinaryReader.ReadInt32 (line 56)", "entries[i]", "with no check that it is not negative"));
    }

    [Fact]
    public async Task ExtentRead_CallersCountCutToWhatIsLeft_IsQuiet_SourceWithoutRoomOrContentThatMayBeNegative_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class BytesExtent
            {
                private readonly byte[] data;

                public BytesExtent(long start, Stream stream)
                {
                    Start = start;
                    data = new byte[512];
                    stream.Read(data, 0, data.Length);
                }

                public long Start { get; }

                public int Read(long diskOffset, byte[] block, int offset, int count)
                {
                    int start = (int)Math.Min(diskOffset - Start, data.Length);
                    int numRead = Math.Min(count, data.Length - start);
                    Array.Copy(data, start, block, offset, numRead);
                    return numRead;
                }

                public static int ReadCounted(BinaryReader reader, byte[] block, int offset, int count)
                {
                    var source = reader.ReadBytes(512);
                    int numRead = Math.Min(count, reader.ReadInt32());
                    {|#0:Array.Copy(source, 0, block, offset, numRead)|};
                    return numRead;
                }

                public static int ReadAvailable(BinaryReader reader, byte[] block, int offset, int count)
                {
                    var source = reader.ReadBytes(512);
                    int available = reader.ReadInt32();
                    if (available <= 0) return 0;
                    int numRead = Math.Min(count, available);
                    {|#2:Array.Copy(source, 0, block, offset, numRead)|};
                    return numRead;
                }

                public static byte[] Sized(BinaryReader reader)
                {
                    int size = Math.Min(int.MaxValue, reader.ReadInt32() & 0x7FFFFFFF);
                    return new byte[{|#1:size|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, numRead", "BinaryReader.ReadInt32 (line 28)", "Array.Copy(source, 0, block, offset, numRead)", "source.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("offset, numRead", "BinaryReader.ReadInt32 (line 28)", "Array.Copy(source, 0, block, offset, numRead)", "block.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(2).WithArguments("0, numRead", "BinaryReader.ReadInt32 (line 36)", "Array.Copy(source, 0, block, offset, numRead)", "source.Length"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("size", "BinaryReader.ReadInt32 (line 45)", "new byte[size]"));
    }

    [Fact]
    public async Task CallersRoom_CountCutInALocalStoredTwice_IsQuiet_OnePastOrMaybeNegativeIsFlagged()
    {
        // A filtering stream's Read: the count it hands on is a local that an earlier read also stored, cut to the
        // caller's count and tested positive; the caller promised room for count bytes at offset. Cut to one more than
        // the caller's count, or never tested positive, it is reported.
        const string source = """
            using System;
            using System.IO;

            sealed class Filtered
            {
                private readonly BinaryReader reader;

                public Filtered(BinaryReader reader) => this.reader = reader;

                public int Read(byte[] buffer, int offset, int count)
                {
                    int nread;
                    if ((nread = reader.ReadInt32()) <= 0)
                        return 0;

                    nread = Math.Min(nread, count);
                    if (nread > 0)
                        buffer.AsSpan(offset, nread).Fill(0x20);

                    return nread;
                }

                public int OnePast(byte[] buffer, int offset, int count)
                {
                    int nread = reader.ReadInt32();
                    nread = Math.Min(nread, count + 1);
                    if (nread > 0)
                        {|#0:buffer.AsSpan(offset, nread)|}.Fill(0x20);

                    return nread;
                }

                public int MaybeNegative(byte[] buffer, int offset, int count)
                {
                    int nread = reader.ReadInt32();
                    nread = Math.Min(nread, count);
                    {|#1:buffer.AsSpan(offset, nread)|}.Fill(0x20);
                    return nread;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("offset, nread", "BinaryReader.ReadInt32 (line 25)", "buffer.AsSpan(offset, nread)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("offset, nread", "BinaryReader.ReadInt32 (line 35)", "buffer.AsSpan(offset, nread)", "buffer.Length"));
    }
}
