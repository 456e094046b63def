using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// The count a read returns (Stream.Read, ReadAsync, ReadAtLeast, TextReader.Read) is bounded by the count it was
/// given, not content: the shapes stream copy loops, ReadExactly helpers and buffered readers use are quiet, and a
/// count read from the content, or a read given an unchecked count, stays flagged.
/// </summary>
public class ReadCountTests
{
    [Fact]
    public async Task StreamCopyLoop_IsQuiet_CountFromContentIsFlagged()
    {
        const string source = """
            using System.IO;

            class Copier
            {
                void Copy(Stream input, Stream output)
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        output.Write(buffer, 0, read);
                    }
                }

                void CopyDeclared(BinaryReader reader, Stream output)
                {
                    var buffer = new byte[81920];
                    var count = reader.ReadInt32();
                    {|#0:output.Write(buffer, 0, count)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, count", "BinaryReader.ReadInt32 (line 18)", "output.Write(buffer, 0, count)", "buffer.Length"));
    }

    [Fact]
    public async Task ChunkCopyWithMinOfTheBufferLength_RangesAreQuiet_MaxIsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Chunks
            {
                void CopyChunk(BinaryReader reader, Stream stream, Stream destination, byte[] buffer)
                {
                    var length = reader.ReadInt32();
                    while ({|#1:length > 0|})
                    {
                        var read = stream.Read(buffer, 0, Math.Min(buffer.Length, length));
                        destination.Write(buffer, 0, read);
                        length -= read;
                    }
                }

                void CopyChunkWrongWay(BinaryReader reader, Stream stream, byte[] buffer)
                {
                    var length = reader.ReadInt32();
                    if (length > 0)
                    {
                        {|#0:stream.Read(buffer, 0, Math.Max(buffer.Length, length))|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            // The copy loop itself is right to be flagged: at the end of the stream Read returns 0 and the length never goes down.
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("length", "BinaryReader.ReadInt32 (line 8)"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, Math.Max(buffer.Length, length)", "BinaryReader.ReadInt32 (line 19)", "stream.Read(buffer, 0, Math.Max(buffer.Length, length))", "buffer.Length"));
    }

    [Fact]
    public async Task ReadExactlyHelper_IsQuiet()
    {
        const string source = """
            using System.IO;
            using System.Threading.Tasks;

            static class StreamExtensions
            {
                public static void ReadExactly(Stream stream, byte[] buffer)
                {
                    var total = 0;
                    while (total < buffer.Length)
                    {
                        var read = stream.Read(buffer, total, buffer.Length - total);
                        if (read == 0) throw new EndOfStreamException();
                        total += read;
                    }
                }

                public static async Task<byte[]> ReadAllAsync(Stream stream)
                {
                    var buffer = new byte[4096];
                    var read = await stream.ReadAsync(buffer, 0, buffer.Length);
                    var copy = new byte[read];
                    System.Array.Copy(buffer, copy, read);
                    return copy;
                }

                public static int ReadAtLeastTwo(Stream stream, byte[] buffer)
                {
                    var read = stream.ReadAtLeast(buffer, 2, throwOnEndOfStream: false);
                    return read > 0 ? buffer[read - 1] : -1;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ProgramsOwnReadHelper_ReturnsACount_AValueHelperStaysContent()
    {
        // Image decoders wrap Stream.Read in an extension taking (buffer, offset, count): what it returns is a count of
        // what it stored, so the fill loop over it is quiet. A Read helper with no count returns content.
        const string source = """
            using System;
            using System.IO;

            static class StreamExtensions
            {
                public static int Read(this Stream stream, Span<byte> buffer, int offset, int count) =>
                    stream.Read(buffer.Slice(offset, count));

                public static int ReadInt32(byte[] data, int offset)
                {
                    var n = data.Length;
                    return n > offset + 3 ? BitConverter.ToInt32(data, offset) : 0;
                }
            }

            class Decoder
            {
                void Fill(Stream stream, byte[] buffer)
                {
                    var total = 0;
                    while (total < buffer.Length)
                    {
                        var read = stream.Read(buffer, total, buffer.Length - total);
                        if (read == 0) break;
                        total += read;
                    }
                }

                void FillSpan(Stream stream, Span<byte> buffer)
                {
                    var total = 0;
                    while (total < buffer.Length)
                    {
                        var read = StreamExtensions.Read(stream, buffer, total, buffer.Length - total);
                        if (read == 0) break;
                        total += read;
                    }
                }

                byte Table(Stream stream, byte[] table)
                {
                    var header = new byte[8];
                    stream.ReadExactly(header);
                    var at = StreamExtensions.ReadInt32(header, 0);
                    return {|#0:table[at]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("at", "Stream.ReadExactly (line 43)", "table[at]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task RentedBufferOfTheCount_TakesTheRange_ASmallerOneDoesNot()
    {
        // A pooled block reader rents at least the block's length and reads the block into it: the range fits. A buffer
        // rented for a constant 16 does not hold a block of up to 4096.
        const string source = """
            using System;
            using System.Buffers;
            using System.IO;

            class Blocks
            {
                private const int MaxBlock = 4096;

                void Read(Stream stream, BinaryReader reader)
                {
                    var length = reader.ReadInt32();
                    if (length < 0 || length > MaxBlock) throw new InvalidDataException();
                    var block = ArrayPool<byte>.Shared.Rent(length);
                    stream.ReadExactly(block, 0, length);
                    ArrayPool<byte>.Shared.Return(block);

                    var small = ArrayPool<byte>.Shared.Rent(16);
                    {|#0:stream.ReadExactly(small, 0, length)|};
                    ArrayPool<byte>.Shared.Return(small);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, length", "BinaryReader.ReadInt32 (line 11)", "stream.ReadExactly(small, 0, length)", "small.Length"));
    }

    [Fact]
    public async Task BufferedTextReader_IsQuiet_ElementFromContentIsFlagged()
    {
        const string source = """
            using System.IO;

            class Tokenizer
            {
                static readonly int[] Classes = new int[128];

                int CountLetters(TextReader reader)
                {
                    var chars = new char[1024];
                    var letters = 0;
                    var length = reader.Read(chars, 0, chars.Length);
                    for (var i = 0; i < length; i++)
                    {
                        if (char.IsLetter(chars[i])) letters++;
                    }

                    return letters;
                }

                int Classify(TextReader reader)
                {
                    var chars = new char[1024];
                    var length = reader.Read(chars, 0, chars.Length);
                    return length > 0 ? {|#0:Classes[chars[0]]|} : -1;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("chars[0]", "TextReader.Read (line 23)", "Classes[chars[0]]", "which can be 65535, past the 128 elements of 'Classes'"));
    }

    [Fact]
    public async Task ReadWithUncheckedCount_IsFlaggedAtTheRead_AndItsCountCanBeTheLength()
    {
        // The read is flagged for its count; when it returns, it stored at most the buffer's length (it throws on a range
        // past the end), so its count used as an index is one past the end at most.
        const string source = """
            using System.IO;

            class Records
            {
                byte Last(BinaryReader reader, Stream stream)
                {
                    var buffer = new byte[256];
                    var wanted = reader.ReadInt32();
                    var read = {|#0:stream.Read(buffer, 0, wanted)|};
                    return {|#1:buffer[read]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, wanted", "BinaryReader.ReadInt32 (line 8)", "stream.Read(buffer, 0, wanted)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("read", "BinaryReader.ReadInt32 (line 8)", "buffer[read]", "with a check that lets it equal 'buffer.Length' (one short: use <, not <=)"));
    }

    [Fact]
    public async Task LocalBufferFilledByARead_KeepsItsLength_SizeFromContentIsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class AlignedReader
            {
                private readonly Stream inner;
                private readonly int blockSize;
                private long position;

                public AlignedReader(Stream inner, int blockSize)
                {
                    this.inner = inner;
                    this.blockSize = blockSize;
                }

                public int Read(byte[] buffer, int offset, int count)
                {
                    var skip = (int)(position % blockSize);
                    var start = position - skip;
                    var end = position + count + blockSize;
                    var aligned = new byte[end - start];
                    inner.Position = start;
                    var read = inner.Read(aligned, 0, aligned.Length);
                    var available = Math.Min(count, read - skip);
                    Array.Copy(aligned, skip, buffer, offset, available);
                    position += available;
                    return available;
                }

                public int ReadRecord(BinaryReader header, byte[] buffer)
                {
                    var size = header.ReadInt32();
                    if (size < 0 || size > 65536) throw new InvalidDataException();
                    var record = new byte[size];
                    var read = inner.Read(record, 0, record.Length);
                    {|#0:Array.Copy(record, 0, buffer, 0, read)|};
                    return read;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, read", "Stream.Read (line 35)", "Array.Copy(record, 0, buffer, 0, read)", "buffer.Length"));
    }

    [Fact]
    public async Task HelperInTheShapeOfARead_GivesACount_HelperReturningContentIsFlagged()
    {
        const string source = """
            using System.IO;

            static class Streams
            {
                public static int ReadMaximum(Stream stream, byte[] buffer, int offset, int count)
                {
                    var total = 0;
                    while (count > 0)
                    {
                        var read = stream.Read(buffer, offset, count);
                        if (read == 0) return total;
                        offset += read;
                        count -= read;
                        total += read;
                    }

                    return total;
                }

                public static int ReadLength(BinaryReader reader) => reader.ReadInt32();
            }

            class ImageWriter
            {
                void CopyBlocks(Stream source, Stream target, byte[] io, int blockSize)
                {
                    var buffered = Streams.ReadMaximum(source, io, 0, blockSize);
                    while (buffered > 0)
                    {
                        target.Write(io, 0, buffered);
                        buffered = Streams.ReadMaximum(source, io, 0, blockSize);
                    }
                }

                void CopyRecords(BinaryReader source, Stream target, byte[] io)
                {
                    var remaining = Streams.ReadLength(source);
                    while ({|#0:remaining > 0|})
                    {
                        target.Write(io, 0, 16);
                        remaining -= 16;
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("remaining", "ReadLength (BinaryReader.ReadInt32 (line 20))"));
    }

    [Fact]
    public async Task OwnStreamsRead_GivesACount_OwnReadOfAValueIsContent()
    {
        const string source = """
            using System.IO;

            abstract class Extent
            {
                public abstract int Read(long position, byte[] buffer, int offset, int count);

                public abstract int ReadValue(byte[] buffer, int offset);
            }

            class ComposedStream
            {
                private readonly Stream baseStream;
                private Extent current;
                private long position;

                public ComposedStream(Stream baseStream) => this.baseStream = baseStream;

                public int Read(byte[] buffer, int offset, int count)
                {
                    var total = 0;
                    while (total < count)
                    {
                        var read = current is null
                            ? baseStream.Read(buffer, offset + total, count - total)
                            : current.Read(position, buffer, offset + total, count - total);
                        if (read == 0) break;
                        position += read;
                        total += read;
                    }

                    return total;
                }

                public byte Entry(BinaryReader reader, byte[] table)
                {
                    var data = reader.ReadBytes(16);
                    var at = current.ReadValue(data, 0);
                    return {|#0:table[at]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("at", "BinaryReader.ReadBytes (line 36)", "table[at]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task LocalAssignedOnceWithABuffer_KeepsItsLength_AssignedTwiceDoesNot()
    {
        // A bitmap read whole into a local declared before the block that opens its stream: the loop fills the rest of
        // the buffer on each pass. A local given a second buffer may hold either.
        const string source = """
            using System.IO;

            class Volumes
            {
                byte[] ReadBitmap(Stream volume)
                {
                    byte[] bitmap;
                    using (var stream = new BufferedStream(volume))
                    {
                        bitmap = new byte[stream.Length];
                        var total = 0;
                        var read = stream.Read(bitmap, 0, bitmap.Length);
                        while (read > 0)
                        {
                            total += read;
                            read = stream.Read(bitmap, total, bitmap.Length - total);
                        }
                    }

                    return bitmap;
                }

                void Either(Stream volume, BinaryReader header, byte[] destination, bool small)
                {
                    byte[] block;
                    block = new byte[4096];
                    if (!small)
                    {
                        block = header.ReadBytes(header.ReadInt16());
                    }

                    var read = volume.Read(block, 0, block.Length);
                    {|#0:System.Array.Copy(block, 0, destination, 0, read)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, read", "Stream.Read (line 32)", "System.Array.Copy(block, 0, destination, 0, read)", "destination.Length"));
    }

    [Fact]
    public async Task AsyncCopyLoopWithConfigureAwait_IsQuiet_UncheckedCountIsFlaggedAtTheRead()
    {
        // Library code awaits with ConfigureAwait(false): the awaited count is the read's, bounded by the rented
        // buffer's length as without it. A read given a count from the content is still flagged; what it returns fits the
        // buffer (it throws on a range past the end), so the write of it is not.
        const string source = """
            using System.Buffers;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Content
            {
                async Task CopyAsync(Stream source, Stream output, CancellationToken token)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(4096);
                    int read;
                    while ((read = await source.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false)) > 0)
                    {
                        await output.WriteAsync(buffer, 0, read, token).ConfigureAwait(false);
                    }

                    ArrayPool<byte>.Shared.Return(buffer);
                }

                async Task CopyDeclaredAsync(Stream source, Stream output, BinaryReader reader)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(4096);
                    var wanted = reader.ReadInt32();
                    var read = await {|#0:source.ReadAsync(buffer, 0, wanted)|}.ConfigureAwait(false);
                    await output.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, wanted", "BinaryReader.ReadInt32 (line 23)", "source.ReadAsync(buffer, 0, wanted)", "buffer.Length"));
    }

    [Fact]
    public async Task BufferHandedOverAndFilledByARead_KeepsItsLength_AChunkLengthFromContentIsFlagged()
    {
        // A checksum over a stream reads chunks of (int)Math.Min(remaining, buffer.Length) into the buffer its caller
        // handed over: the reads fill its elements, not its length, so every chunk after the first still fits it. A chunk
        // length read from the content does not; the count that read returns still fits the buffer (the read throws
        // otherwise), so only the read is flagged.
        const string source = """
            using System;
            using System.IO;

            static class Checksum
            {
                public static uint Compute(Stream stream, long length, byte[] buffer)
                {
                    uint sum = 0;
                    for (long offset = 0; offset < length;)
                    {
                        int len = (int)Math.Min(length - offset, buffer.Length);
                        int count = stream.Read(buffer, 0, len);
                        if (count != len)
                        {
                            throw new EndOfStreamException();
                        }

                        for (int i = 0; i < count; i++)
                        {
                            sum += buffer[i];
                        }

                        offset += count;
                    }

                    return sum;
                }

                public static uint ComputeChunks(Stream stream, BinaryReader header, byte[] buffer)
                {
                    uint sum = 0;
                    int chunks = header.ReadByte();
                    for (int chunk = 0; chunk < chunks; chunk++)
                    {
                        int len = header.ReadInt32();
                        int count = {|#0:stream.Read(buffer, 0, len)|};
                        for (int i = 0; i < count; i++)
                        {
                            sum += buffer[i];
                        }
                    }

                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("0, len", "BinaryReader.ReadInt32 (line 35)", "stream.Read(buffer, 0, len)", "buffer.Length"));
    }

    [Fact]
    public async Task CopyFromContentHeldInMemory_ClampedPastTheCallersAddress_IsQuiet_AnOffsetOrLengthFromContentIsFlagged()
    {
        // A data source over a file held in memory copies from the caller's address at most what is left of the data:
        // the range fails only when the caller's address is past the end, whatever the content made the data's length.
        // An offset the content gives, or a wanted length the content gives (which may be negative), stays flagged.
        const string source = """
            using System;
            using System.IO;

            public sealed class ArraySource
            {
                private readonly byte[] _data;

                public ArraySource(Stream stream)
                {
                    _data = new byte[stream.Length];
                    stream.ReadExactly(_data);
                }

                public ulong BaseAddress { get; init; }

                public int ReadBytes(ulong address, byte[] buffer, int index, int count)
                {
                    int relativeIndex = (int)(address - BaseAddress);
                    int actualLength = Math.Min(count, _data.Length - relativeIndex);
                    Buffer.BlockCopy(_data, relativeIndex, buffer, index, actualLength);
                    return actualLength;
                }

                public int ReadSpan(ulong address, Span<byte> buffer)
                {
                    int relativeIndex = (int)(address - BaseAddress);
                    int actualLength = Math.Min(buffer.Length, _data.Length - relativeIndex);
                    _data.AsSpan(relativeIndex, actualLength).CopyTo(buffer);
                    return actualLength;
                }

                public int FromContent(byte[] buffer)
                {
                    int relativeIndex = _data[0];
                    int actualLength = Math.Min(buffer.Length, _data.Length - relativeIndex);
                    {|#0:_data.AsSpan(relativeIndex, actualLength)|}.CopyTo(buffer);
                    return actualLength;
                }

                public int Wanted(int offset, byte[] buffer)
                {
                    int wanted = BitConverter.ToInt32(_data, 4);
                    int actualLength = Math.Min(wanted, _data.Length - offset);
                    {|#1:_data.AsSpan(offset, actualLength)|}.CopyTo(buffer);
                    return actualLength;
                }
            }
            """;

        const string origin = "field '_data', the bytes ArraySource reads";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("relativeIndex, actualLength", origin, "_data.AsSpan(relativeIndex, actualLength)", "_data.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("offset, actualLength", origin, "_data.AsSpan(offset, actualLength)", "_data.Length"));
    }
}
