using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A read fills a buffer with content but does not change its length: constant indexes into a constant-size buffer
/// (header readers into new byte[4], a scratch field) are quiet; an index taken from the content stays flagged.
/// </summary>
public class ConstantBufferTests
{
    [Fact]
    public async Task HeaderReaders_ConstantIndexes_AreQuiet_IndexFromContentIsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Header
            {
                private readonly byte[] scratch = new byte[4];
                private readonly Stream stream;

                Header(Stream stream) { this.stream = stream; }

                int Read16()
                {
                    var buf = new byte[2];
                    stream.Read(buf, 0, 2);
                    return buf[0] | buf[1] << 8;
                }

                int Read32()
                {
                    stream.Read(scratch, 0, 4);
                    var span = scratch.AsSpan(0, 4);
                    return scratch[0] | scratch[1] << 8 | scratch[2] << 16 | scratch[3] << 24 | BitConverter.ToUInt16(scratch, 2) | span[3];
                }

                int Exactly()
                {
                    var header = new byte[4];
                    ReadExactly(stream, header, 4);
                    Array.Copy(header, 0, scratch, 0, 4);
                    return header[0] + header[3] + BitConverter.ToInt32(header, 0);
                }

                int Indirect()
                {
                    var header = new byte[4];
                    stream.ReadExactly(header);
                    return {|#0:header[header[0]]|};
                }

                static void ReadExactly(Stream s, byte[] buffer, int count)
                {
                    var total = 0;
                    while (total < count)
                    {
                        var n = s.Read(buffer, total, count - total);
                        if (n == 0) throw new EndOfStreamException();
                        total += n;
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("header[0]", "Stream.ReadExactly (line 36)", "header[header[0]]", "which can be 255, past the 4 elements of 'header'"));
    }
}
