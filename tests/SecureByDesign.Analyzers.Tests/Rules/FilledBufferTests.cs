using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// Buffers filled by helpers of the compilation: a method that passes its buffer parameter (or a view of it) to a read,
/// or stores read values into its elements, fills the caller's buffer with content, as the read itself would.
/// </summary>
public class FilledBufferTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access, string why) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, why);

    [Fact]
    public async Task CodesUnpackedFromABlockAHelperRead_IndexTheTables_UnlessCheckedAgainstThem()
    {
        const string source = """
            using System;
            using System.IO;

            static class StreamExtensions
            {
                public static int Read(this Stream stream, Span<byte> buffer, int offset, int count)
                    => stream.Read(buffer.Slice(offset, count));
            }

            sealed class CodeDecoder
            {
                private const int TableSize = 4096;
                private readonly Stream stream;
                private readonly int[] prefix = new int[TableSize];
                private readonly byte[] suffix = new byte[TableSize];

                public CodeDecoder(Stream stream) => this.stream = stream;

                public int Unchecked(byte[] output, int codeMask, int clearCode)
                {
                    Span<byte> block = stackalloc byte[255];
                    int count = this.ReadBlock(block);
                    int data = block[0] | (block[1] << 8);
                    int code = data & codeMask;
                    int written = 0;
                    while (code > clearCode && written < output.Length)
                    {
                        output[written++] = {|#0:suffix[code]|};
                        code = {|#1:prefix[code]|};
                    }

                    return written;
                }

                public int WrongTable(byte[] output, int codeMask)
                {
                    Span<byte> block = stackalloc byte[255];
                    this.ReadBlock(block);
                    int code = (block[0] | (block[1] << 8)) & codeMask;
                    if ((uint)code >= (uint)output.Length)
                    {
                        return 0;
                    }

                    return {|#2:suffix[code]|};
                }

                public int Checked(byte[] output, int codeMask, int clearCode)
                {
                    Span<byte> block = stackalloc byte[255];
                    this.ReadBlock(block);
                    int code = (block[0] | (block[1] << 8)) & codeMask;
                    int written = 0;
                    while (code > clearCode && written < output.Length)
                    {
                        if (code < 0 || code >= TableSize)
                        {
                            break;
                        }

                        output[written++] = suffix[code];
                        code = prefix[code] & 0xFFF;
                    }

                    return written;
                }

                public int Unsigned(int codeMask)
                {
                    Span<byte> block = stackalloc byte[255];
                    this.ReadBlock(block);
                    int code = (block[0] | (block[1] << 8)) & codeMask;
                    return (uint)code < TableSize ? suffix[code] : -1;
                }

                private int ReadBlock(Span<byte> buffer)
                {
                    int size = this.stream.ReadByte();
                    if (size < 1 || size > buffer.Length)
                    {
                        return 0;
                    }

                    return this.stream.Read(buffer, 0, size) == size ? size : 0;
                }
            }
            """;

        const string origin = "ReadBlock (Stream.Read (line 7))";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "code", origin, "suffix[code]", "which can be 2147483647, past the 4096 elements of 'suffix'"),
            Index(1, "code", origin, "prefix[code]", "which can be 2147483647, past the 4096 elements of 'prefix'"),
            Index(2, "code", origin, "suffix[code]", "with a check against 'output.Length', not 'suffix.Length'"));
    }

    [Fact]
    public async Task HelpersThatFillTheirBuffer_ThroughAViewAStoreOrAnotherHelper_MakeItContent()
    {
        const string source = """
            using System;
            using System.IO;

            sealed class RecordReader
            {
                private readonly Stream stream;
                private readonly BinaryReader reader;
                private readonly int[] table = new int[64];

                public RecordReader(Stream stream)
                {
                    this.stream = stream;
                    this.reader = new BinaryReader(stream);
                }

                public int ThroughAView(byte[] header)
                {
                    this.FillTail(header, 2);
                    return {|#0:table[header[3]]|};
                }

                public int ThroughStores(byte[] header)
                {
                    this.FillEach(header);
                    return {|#1:table[header[0]]|};
                }

                public int ThroughTwoHelpers(byte[] header)
                {
                    this.FillTwice(header);
                    return {|#2:table[header[0]]|};
                }

                public int SourceIntoAView(byte[] header)
                {
                    this.stream.ReadExactly(header.AsSpan(0, 4));
                    return {|#3:table[header[1]]|};
                }

                public int FilledFromConstants(byte[] header)
                {
                    FillDefaults(header);
                    return table[header[0]];
                }

                public int ReadIntoItsOwnBuffer(byte[] header)
                {
                    this.Skip(header.Length);
                    return table[header[0]];
                }

                public int OtherArgumentFilled(byte[] header, byte[] scratch)
                {
                    this.FillTail(scratch, 0);
                    return table[header[0]];
                }

                private void FillTail(byte[] buffer, int offset)
                {
                    Span<byte> window = buffer.AsSpan(offset);
                    this.stream.ReadExactly(window);
                }

                private void FillEach(byte[] buffer)
                {
                    for (int i = 0; i < buffer.Length; i++)
                    {
                        buffer[i] = this.reader.ReadByte();
                    }
                }

                private void FillTwice(byte[] buffer) => this.FillTail(buffer, 0);

                private static void FillDefaults(byte[] buffer)
                {
                    for (int i = 0; i < buffer.Length; i++)
                    {
                        buffer[i] = (byte)(i % 64);
                    }
                }

                private void Skip(int count)
                {
                    var scratch = new byte[count];
                    this.stream.ReadExactly(scratch);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "header[3]", "FillTail (Stream.ReadExactly (line 61))", "table[header[3]]", "which can be 255, past the 64 elements of 'table'"),
            Index(1, "header[0]", "FillEach (BinaryReader.ReadByte (line 68))", "table[header[0]]", "which can be 255, past the 64 elements of 'table'"),
            Index(2, "header[0]", "FillTwice (Stream.ReadExactly (line 61))", "table[header[0]]", "which can be 255, past the 64 elements of 'table'"),
            Index(3, "header[1]", "Stream.ReadExactly (line 36)", "table[header[1]]", "which can be 255, past the 64 elements of 'table'"));
    }

    [Fact]
    public async Task StackPushedWhileACodeChainFromContentLasts_IsFlagged_UnlessTheCounterIsChecked()
    {
        const string source = """
            using System;
            using System.IO;

            sealed class ChainDecoder
            {
                private const int TableSize = 4096;
                private readonly Stream stream;
                private readonly int[] prefix = new int[TableSize];
                private readonly int[] suffix = new int[TableSize];
                private readonly int[] stack = new int[TableSize + 1];

                public ChainDecoder(Stream stream) => this.stream = stream;

                public int Unchecked(int clearCode)
                {
                    int code = this.NextCode() & 0xFFF;
                    int top = 0;
                    while (code > clearCode)
                    {
                        {|#0:stack[top++]|} = suffix[code];
                        code = prefix[code] & 0xFFF;
                    }

                    return top;
                }

                public int WrongBuffer(int clearCode, byte[] output)
                {
                    int code = this.NextCode() & 0xFFF;
                    int top = 0;
                    while (code > clearCode && top < output.Length)
                    {
                        {|#1:stack[top++]|} = suffix[code];
                        code = prefix[code] & 0xFFF;
                    }

                    return top;
                }

                public int BoundedInTheLoop(int clearCode)
                {
                    int code = this.NextCode() & 0xFFF;
                    int top = 0;
                    while (code > clearCode && top < stack.Length)
                    {
                        stack[top++] = suffix[code];
                        code = prefix[code] & 0xFFF;
                    }

                    return top;
                }

                public int CheckedInTheBody(int clearCode)
                {
                    int code = this.NextCode() & 0xFFF;
                    int top = 0;
                    while (code > clearCode)
                    {
                        if (top >= TableSize)
                        {
                            break;
                        }

                        stack[top++] = suffix[code];
                        code = prefix[code] & 0xFFF;
                    }

                    return top;
                }

                public int CountedLoop(byte[] output)
                {
                    int count = this.stream.ReadByte();
                    int written = 0;
                    for (int i = 0; i < count && i < output.Length; i++)
                    {
                        output[i] = 1;
                        stack[written++] = i;
                    }

                    return written;
                }

                public int TrustedLoop(int length)
                {
                    int top = 0;
                    int x = 0;
                    while (x < length)
                    {
                        stack[top++] = x;
                        x += 2;
                    }

                    return top;
                }

                public int WalkedUpToABound()
                {
                    int end = this.stream.ReadByte();
                    int count = 0;
                    while (this.stream.Position < end)
                    {
                        stack[count++] = this.stream.ReadByte();
                    }

                    return count;
                }

                private int NextCode() => this.stream.ReadByte() | (this.stream.ReadByte() << 8);
            }
            """;

        const string driver = "a counter of the iterations of 'while (code > clearCode)', which 'code' from NextCode (Stream.ReadByte (line 109)) drives,";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "top++", driver, "stack[top++]", "with no check against 'stack.Length'"),
            Index(1, "top++", "a counter of the iterations of 'while (code > clearCode && top < output.Length)', which 'code' from NextCode (Stream.ReadByte (line 109)) drives,", "stack[top++]", "with a check against 'output.Length', not 'stack.Length'"));
    }
}
