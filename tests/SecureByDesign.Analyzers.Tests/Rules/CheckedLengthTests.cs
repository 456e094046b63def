using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// Lengths a reader proves on the way: a helper that throws unless what it read has the count it was asked for, an
/// index plus a constant tested against a count that sizes the buffer, and an out value its method tested before it
/// returned. Each quiet case sits beside the flagged case it must not hide: a helper that does not check, a sum that can
/// wrap, an out value nothing tested.
/// </summary>
public class CheckedLengthTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access, string why) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, why);

    [Fact]
    public async Task HelperThatChecksTheCountItRead_SizesTheBuffer_HelperThatDoesNot_IsFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Chunks
            {
                private readonly BinaryReader reader;

                public Chunks(BinaryReader reader) => this.reader = reader;

                private List<byte> ReadBlock(int length) => new List<byte>(reader.ReadBytes(length));

                private List<byte> ReadChunkData(int length)
                {
                    var data = ReadBlock(length);
                    if (data.Count != length)
                        throw new InvalidDataException("short chunk");
                    return data;
                }

                public byte Flag()
                {
                    int length = reader.ReadUInt16();
                    var data = ReadChunkData(length);
                    int start = data[0];
                    if (start + 2 >= length)
                        throw new InvalidDataException("no flag");
                    return data[start + 2];
                }

                public byte FlagUnchecked()
                {
                    int length = reader.ReadUInt16();
                    var data = ReadBlock(length);
                    int start = data[0];
                    if (start + 2 >= length)
                        throw new InvalidDataException("no flag");
                    return {|#0:data[start + 2]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "start + 2", "ReadBlock (BinaryReader.ReadBytes (line 10))", "data[start + 2]", "with no check against 'data.Count'"));
    }

    [Fact]
    public async Task IndexPlusConstantBelowTheCountOfTheArray_IsQuiet_WhenTheSumCanWrap_IsFlagged()
    {
        const string source = """
            using System.IO;

            class Records
            {
                public static byte Small(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    var data = new byte[count];
                    reader.Read(data, 0, count);
                    int at = data[0];
                    if (at + 3 > count) throw new InvalidDataException("short");
                    return data[at + 2];
                }

                public static byte OneShort(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    var data = new byte[count];
                    reader.Read(data, 0, count);
                    int at = data[0];
                    if (at + 2 > count) throw new InvalidDataException("short");
                    return {|#0:data[at + 2]|};
                }

                public static byte Wraps(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    var data = new byte[count];
                    reader.Read(data, 0, count);
                    int at = reader.ReadInt32();
                    if (at < 0 || at + 2 >= count) throw new InvalidDataException("short");
                    return {|#1:data[at + 2]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithSpan(8, 29, 8, 34).WithArguments("count", "BinaryReader.ReadInt32 (line 7)", "new byte[count]"),
            VerifyCS.Diagnostic("SBD2003").WithSpan(18, 29, 18, 34).WithArguments("count", "BinaryReader.ReadInt32 (line 17)", "new byte[count]"),
            Index(0, "at + 2", "BinaryReader.Read (line 19)", "data[at + 2]", "with a check that lets it equal 'data.Length' (one short: use <, not <=)"),
            VerifyCS.Diagnostic("SBD2003").WithSpan(28, 29, 28, 34).WithArguments("count", "BinaryReader.ReadInt32 (line 27)", "new byte[count]"),
            Index(1, "at + 2", "BinaryReader.ReadInt32 (line 30)", "data[at + 2]", "with no check against 'data.Length'"));
    }

    [Fact]
    public async Task OutValueItsMethodTested_KeepsTheTest_OutValueNothingTested_IsFlagged()
    {
        const string source = """
            using System.IO;

            class Keywords
            {
                private static void Terminated(byte[] data, out int end)
                {
                    end = System.Array.IndexOf(data, (byte)0, 1) - 1;
                    if (end < 0)
                        throw new InvalidDataException("no terminator");
                }

                private static void Loose(byte[] data, out int end)
                {
                    end = System.Array.IndexOf(data, (byte)0, 1) - 1;
                }

                public static byte Last(BinaryReader reader)
                {
                    var data = reader.ReadBytes(64);
                    Terminated(data, out var end);
                    if (end >= data.Length) return 0;
                    return data[end];
                }

                public static byte LastLoose(BinaryReader reader)
                {
                    var data = reader.ReadBytes(64);
                    Loose(data, out var end);
                    if (end >= data.Length) return 0;
                    return {|#0:data[end]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "end", "BinaryReader.ReadBytes (line 27)", "data[end]", "with no check that it is not negative"));
    }
}
