using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.FieldCountAnalyzer,
    SecureByDesign.Analyzers.FieldCountFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>A read given a range of a buffer returned: the range was inside the buffer, which has at least that many elements.</summary>
public class CheckedRangeTests
{
    [Fact]
    public async Task ScratchBufferARangedReadFilled_HasTheRangesLength()
    {
        // A decoder reads a pixel or a chunk header into the scratch span its caller hands it, through an extension that
        // slices the span (or the framework's Read, which checks its range): the span has those bytes, whatever the read
        // count says. A read of the whole span proves no length, and a read of 2 bytes proves nothing of the third.
        const string source = """
            using System;
            using System.IO;

            static class StreamExtensions
            {
                public static int Read(this Stream stream, Span<byte> buffer, int offset, int count) => stream.Read(buffer.Slice(offset, count));
            }

            sealed class PixelReader
            {
                private static int ReadPixel(Stream stream, Span<byte> scratch)
                {
                    if (stream.Read(scratch, 0, 4) != 4) throw new InvalidDataException();
                    return scratch[2] | scratch[1] << 8 | scratch[0] << 16 | scratch[3] << 24;
                }

                private static int ReadReserved(Stream stream, byte[] buffer)
                {
                    stream.Read(buffer, 0, 3);
                    return buffer[0] | buffer[1] | buffer[2];
                }

                private static int ReadWhole(Stream stream, Span<byte> scratch)
                {
                    if (stream.Read(scratch) < 4) throw new InvalidDataException();
                    return {|#0:scratch[3]|};
                }

                private static int ReadShort(Stream stream, Span<byte> scratch)
                {
                    stream.Read(scratch, 0, 2);
                    return scratch[1] | {|#1:scratch[2]|} << 8;
                }

                public int Decode(Stream stream)
                {
                    Span<byte> scratch = stackalloc byte[4];
                    var array = new byte[4];
                    return ReadPixel(stream, scratch) + ReadReserved(stream, array) + ReadWhole(stream, scratch) + ReadShort(stream, scratch);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(3, "scratch", "Stream.Read (line 25)", "with no check that 'scratch.Length' is at least 4"),
            VerifyCS.Diagnostic("SBD1003").WithLocation(1).WithArguments(2, "scratch", "Read (Stream.Read (line 6))", "after a check that proves only 2 fields (one short); field 2 needs 'scratch.Length' to be at least 3"));
    }

    [Fact]
    public async Task PooledBufferARangedReadFilledAtAGrowingOffset_HasTheCountsLength()
    {
        // A DNS over TCP client reads the two-byte length prefix into a pooled buffer, a pass at a time, at the offset of
        // what it has so far: the framework's Read throws on a negative offset or a range past the buffer, so once it has
        // returned the buffer has at least 2 bytes. A read of 1 byte at a time proves nothing of the second.
        const string source = """
            using System.IO;

            sealed class TcpHandler
            {
                public static int Length(Stream stream, byte[] pooled)
                {
                    byte[] buffer = pooled;
                    int received = 0, read;
                    while ((received += read = stream.Read(buffer, received, 2)) < 2)
                    {
                        if (read <= 0) throw new IOException("closed");
                    }

                    return buffer[0] << 8 | buffer[1];
                }

                public static int ByteAtATime(Stream stream, byte[] pooled)
                {
                    byte[] buffer = pooled;
                    int received = 0, read;
                    while ((received += read = stream.Read(buffer, received, 1)) < 2)
                    {
                        if (read <= 0) throw new IOException("closed");
                    }

                    return buffer[0] << 8 | {|#0:buffer[1]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(1, "buffer", "Stream.Read (line 21)", "with no check that 'buffer.Length' is at least 2"));
    }
}
