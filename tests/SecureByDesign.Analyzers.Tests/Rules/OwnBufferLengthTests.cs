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
}
