using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>The length of a buffer field a reader creates itself is the program's, however untrusted its bytes are.</summary>
public class OwnBufferLengthTests
{
    [Fact]
    public async Task LengthOfABufferTheReaderCreates_IsNotContent()
    {
        // An input buffer fills its own array from the stream, up to the array's length, in a loop that counts what each
        // read gave: the range is the program's. A buffer the reader was handed has the length the content gave it: an
        // allocation sized by it is flagged.
        const string source = """
            using System;
            using System.IO;

            sealed class InputBuffer
            {
                private readonly Stream input;
                private readonly byte[] raw;
                private int rawLength;

                public InputBuffer(Stream input, int bufferSize)
                {
                    this.input = input;
                    this.raw = new byte[bufferSize];
                }

                public void Fill()
                {
                    rawLength = 0;
                    int toRead = raw.Length;
                    while (toRead > 0)
                    {
                        int count = input.Read(raw, rawLength, toRead);
                        if (count <= 0)
                        {
                            break;
                        }

                        rawLength += count;
                        toRead -= count;
                    }
                }

                public byte[] Expand() => new byte[raw.Length * 4];
            }

            sealed class GivenBuffer
            {
                private readonly Stream input;
                private readonly byte[] data;

                public GivenBuffer(Stream input, byte[] data)
                {
                    this.input = input;
                    this.data = data;
                }

                public byte[] Expand() => new byte[{|#0:data.Length * 4|}];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("data.Length * 4", "field 'data', the bytes GivenBuffer reads", "new byte[data.Length * 4]"));
    }

    [Fact]
    public async Task LengthOfABufferADecodingHelperCreates_IsNotContent()
    {
        // A decompressing stream decodes its whole output into a buffer of the size it was told, made by a helper that
        // returns new byte[count]; reads then copy from it up to its length. A helper that returns a buffer sized by
        // the content gives a length from the content.
        const string source = """
            using System;
            using System.IO;

            sealed class DecodedStream
            {
                private readonly Stream compressed;
                private readonly byte[] decoded;
                private long position;

                public DecodedStream(Stream compressed, int count)
                {
                    this.compressed = compressed;
                    decoded = Decode(count);
                }

                public int Read(byte[] buffer, int offset, int count)
                {
                    if (position > decoded.Length) return 0;
                    var take = (int)Math.Min(count, decoded.Length - position);
                    Array.Copy(decoded, (int)position, buffer, offset, take);
                    position += take;
                    return take;
                }

                private byte[] Decode(int count)
                {
                    var output = new byte[count];
                    var done = 0;
                    while (done < count)
                    {
                        var got = compressed.Read(output, done, count - done);
                        if (got == 0) throw new EndOfStreamException();
                        done += got;
                    }

                    return output;
                }
            }

            sealed class FramedStream
            {
                private readonly BinaryReader framed;
                private readonly byte[] frame;

                public FramedStream(BinaryReader framed)
                {
                    this.framed = framed;
                    frame = Frame();
                }

                public byte[] Expand() => new byte[{|#0:frame.Length * 4|}];

                private byte[] Frame() => framed.ReadBytes({|#1:framed.ReadInt32()|});
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("frame.Length * 4", "field 'frame', the bytes FramedStream reads", "new byte[frame.Length * 4]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("framed.ReadInt32()", "BinaryReader.ReadInt32 (line 53)", "framed.ReadBytes(framed.ReadInt32())"));
    }

    [Fact]
    public async Task LengthOfABufferStartedEmptyAndGrownToTheLargerOfTwoProgramSizes_IsNotContent()
    {
        // A tokenizer starts with an empty buffer and grows it to the larger of a minimum and the size it was built
        // with: both are the program's, so its length is too. Grown to the larger of a minimum and a size the content
        // gives (a length of bytes it was handed), the length is the content's.
        const string source = """
            using System;
            using System.IO;

            sealed class Tokenizer
            {
                private const int MinimumSize = 1024;
                private readonly int bufferSize;
                private byte[] input = Array.Empty<byte>();

                public Tokenizer(int bufferSize)
                {
                    this.bufferSize = bufferSize;
                }

                public Tokenizer(Stream stream, int size)
                {
                    input = new byte[Math.Max(MinimumSize, size)];
                    stream.ReadExactly(input, 0, input.Length);
                }

                public byte[] Expand() => new byte[input.Length * 4];
            }

            sealed class SizedTokenizer
            {
                private readonly Stream stream;
                private readonly byte[] input;

                public SizedTokenizer(Stream stream, byte[] header)
                {
                    this.stream = stream;
                    input = new byte[Math.Max(1024, header.Length)];
                }

                public byte[] Expand() => new byte[{|#0:input.Length * 4|}];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("input.Length * 4", "field 'input', the bytes SizedTokenizer reads", "new byte[input.Length * 4]"));
    }

    [Fact]
    public async Task ArrayMadeOneLongerThanAShortCount_CountIndexesIt_IsQuiet_MadeAsLongOrOfAWrappingUintIsFlagged()
    {
        const string source = """
            using System.IO;

            struct Range
            {
                public Range(int first, int fd) { First = first; Fd = fd; }
                public int First;
                public int Fd;
            }

            static class FdSelect
            {
                static Range[] WithSentinel(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    Range[] ranges = new Range[count + 1];
                    for (int i = 0; i < count; ++i) ranges[i] = new Range(reader.ReadUInt16(), reader.ReadByte());
                    ranges[count] = new Range(reader.ReadUInt16(), 0);
                    return ranges;
                }

                static Range[] NoRoomForSentinel(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    Range[] ranges = new Range[count];
                    for (int i = 0; i < count; ++i) ranges[i] = new Range(reader.ReadUInt16(), reader.ReadByte());
                    {|#0:ranges[count]|} = new Range(reader.ReadUInt16(), 0);
                    return ranges;
                }

                static Range[] WrappingCount(BinaryReader reader)
                {
                    uint count = reader.ReadUInt32();
                    Range[] ranges = new Range[{|#1:(int)count + 1|}];
                    for (int i = 0; i < count; ++i) {|#2:ranges[i]|} = new Range(reader.ReadUInt16(), reader.ReadByte());
                    return ranges;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("count", "BinaryReader.ReadUInt16 (line 23)", "ranges[count]", "with a check that lets it equal 'ranges.Length' (one short: use <, not <=)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("(int)count + 1", "BinaryReader.ReadUInt32 (line 32)", "new Range[(int)count + 1]"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(2).WithArguments("i", "BinaryReader.ReadUInt32 (line 32)", "ranges[i]", "with no check against 'ranges.Length'"));
    }

    [Fact]
    public async Task ArrayMadeWithAGetOnlyPropertyOfALocal_LoopUpToItIndexesIt_IsQuiet_ASettablePropertyIsFlagged()
    {
        const string source = """
            using System.IO;

            sealed class CollectionHeader
            {
                public CollectionHeader(uint count, uint flags) { Entries = count; Flags = flags; }
                public uint Entries { get; }
                public uint Flags { get; set; }
                public static CollectionHeader Read(BinaryReader reader) => new CollectionHeader(reader.ReadUInt32(), reader.ReadUInt32());
            }

            static class Collection
            {
                static string[] Names(BinaryReader reader)
                {
                    var header = CollectionHeader.Read(reader);
                    var names = new string[{|#0:(int)header.Entries|}];
                    for (int i = 0; i < header.Entries; ++i) names[i] = string.Empty;
                    return names;
                }

                static string[] Settable(BinaryReader reader)
                {
                    var header = CollectionHeader.Read(reader);
                    var names = new string[{|#1:(int)header.Flags|}];
                    for (int i = 0; i < header.Flags; ++i) {|#2:names[i]|} = string.Empty;
                    return names;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("(int)header.Entries", "Read (BinaryReader.ReadUInt32 (line 8))", "new string[(int)header.Entries]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("(int)header.Flags", "Read (BinaryReader.ReadUInt32 (line 8))", "new string[(int)header.Flags]"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(2).WithArguments("i", "Read (BinaryReader.ReadUInt32 (line 8))", "names[i]", "with no check against 'names.Length'"));
    }

    [Fact]
    public async Task ArrayMadeWithALocalOneMoreThanACount_LoopToTheCountReadsNextOffset_IsQuiet_AsLongIsOneShort()
    {
        const string source = """
            using System.IO;

            static class GlyphVariations
            {
                static long Total(BinaryReader reader)
                {
                    ushort glyphCount = reader.ReadUInt16();
                    int offsetCount = glyphCount + 1;
                    uint[] offsets = new uint[offsetCount];
                    for (int i = 0; i < offsetCount; i++) offsets[i] = reader.ReadUInt32();
                    long total = 0;
                    for (int i = 0; i < glyphCount; i++) total += offsets[i + 1] - offsets[i];
                    return total;
                }

                static long AsLong(BinaryReader reader)
                {
                    ushort glyphCount = reader.ReadUInt16();
                    int offsetCount = glyphCount;
                    uint[] offsets = new uint[offsetCount];
                    for (int i = 0; i < offsetCount; i++) offsets[i] = reader.ReadUInt32();
                    long total = 0;
                    for (int i = 0; i < glyphCount; i++) total += {|#0:offsets[i + 1]|} - offsets[i];
                    return total;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("i + 1", "BinaryReader.ReadUInt16 (line 18)", "offsets[i + 1]", "with a check that lets it equal 'offsets.Length' (one short: use <, not <=)"));
    }

    [Fact]
    public async Task SkipAndCopyLoopsOverABufferOfTheProgramsSize_AreQuiet_ACountFromContentIsFlagged()
    {
        // Tag and chunk readers skip what they do not parse with a scratch buffer no larger than what is left, and move
        // bytes in place with a fixed stack buffer: the reads fill the buffers, but their lengths stay the program's, so
        // the counts the reads return (and what is left after them) do too. The same loop over a count another part
        // of the content gives (a header, not the bytes the loop reads) is still the content's.
        const string source = """
            using System;
            using System.IO;

            static class Skipper
            {
                static void SkipBytes(BinaryReader reader, int bytesToSkip)
                {
                    byte[] buffer = new byte[Math.Min(4096, bytesToSkip)];
                    while (bytesToSkip > 0)
                    {
                        int read = reader.Read(buffer, 0, Math.Min(buffer.Length, bytesToSkip));
                        if (read <= 0) break;
                        bytesToSkip -= read;
                    }
                }

                static void SkipChunk(BinaryReader reader, BinaryReader header)
                {
                    int bytesToSkip = header.ReadInt32();
                    byte[] buffer = new byte[Math.Min(4096, bytesToSkip)];
                    while ({|#0:bytesToSkip > 0|})
                    {
                        int read = reader.Read(buffer, 0, Math.Min(buffer.Length, bytesToSkip));
                        if (read <= 0) break;
                        bytesToSkip -= read;
                    }
                }

                static void Shift(Stream stream, long offset, long length)
                {
                    Span<byte> buffer = stackalloc byte[512];
                    long left = stream.Length - offset - length;
                    while (left > 0)
                    {
                        var toRead = (int)Math.Min(left, buffer.Length);
                        stream.ReadExactly(buffer[..toRead]);
                        stream.Write(buffer[..toRead]);
                        left -= toRead;
                    }
                }

                static void Copy(Stream stream, BinaryReader header)
                {
                    Span<byte> buffer = stackalloc byte[512];
                    long left = header.ReadInt64();
                    while ({|#1:left > 0|})
                    {
                        var toRead = (int)Math.Min(left, buffer.Length);
                        stream.ReadExactly(buffer[..toRead]);
                        stream.Write(buffer[..toRead]);
                        left -= toRead;
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("bytesToSkip", "BinaryReader.ReadInt32 (line 19)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("left", "BinaryReader.ReadInt64 (line 45)"));
    }

    [Fact]
    public async Task CopyLoopOverARentedBuffer_IsQuiet_ABufferRentedForAContentSizeIsFlagged()
    {
        // Decompressors copy through a pooled buffer in chunks of at most its length: a read fills it with content, but
        // its length stays what the pool gave the program. A buffer rented for a size the content gave has the content's
        // length, and the chunk taken from it is the content's choice as before.
        const string source = """
            using System;
            using System.Buffers;
            using System.IO;

            static class Inflater
            {
                static int Copy(Stream source, int expected)
                {
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
                    int total = 0;
                    while (total < expected)
                    {
                        int toRead = Math.Min(buffer.Length, expected - total);
                        int read = source.Read(buffer, 0, toRead);
                        if (read == 0) break;
                        total += read;
                    }

                    ArrayPool<byte>.Shared.Return(buffer);
                    return total;
                }

                static int Sized(Stream source, int expected, BinaryReader header)
                {
                    byte[] buffer = ArrayPool<byte>.Shared.Rent({|#0:header.ReadInt32()|});
                    int total = 0;
                    while (total < expected)
                    {
                        int toRead = Math.Min(buffer.Length, expected - total);
                        int read = {|#1:source.Read(buffer, 0, toRead)|};
                        if (read == 0) break;
                        total += read;
                    }

                    return total;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("header.ReadInt32()", "BinaryReader.ReadInt32 (line 25)", "ArrayPool<byte>.Shared.Rent(header.ReadInt32())"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("0, toRead", "BinaryReader.ReadInt32 (line 25)", "source.Read(buffer, 0, toRead)", "buffer.Length", "buffer.Length", "buffer.Length"));
    }
}
