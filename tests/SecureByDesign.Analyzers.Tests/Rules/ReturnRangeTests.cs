using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A helper of the program whose integer result its operators and constants bound, whatever its arguments are
/// (<c>length % 4 == 0 ? 0 : 4 - length % 4</c>): a value it computes from content is no larger than that.
/// </summary>
public class ReturnRangeTests
{
    [Fact]
    public async Task PaddingAHelperComputes_IsBounded_ARoundedUpLengthIsFlagged()
    {
        // A PPI capture's fields are padded to 32 bits: the padding a helper computes from a field's length is 0 to 3
        // bytes (0 to 7 as the helper's operators see it), and a nibble picks one of 16 entries. Rounding the length
        // up to a multiple of 4 keeps the content's size, and a helper that returns a byte keeps all 256 values.
        const string source = """
            using System.IO;

            static class PpiFields
            {
                private static readonly string[] Names = new string[16];
                private static readonly int[] Table = new int[8];

                public static string Field(BinaryReader reader)
                {
                    int fieldLength = reader.ReadUInt16();
                    int padding = Distance(fieldLength);
                    if (padding > 0) reader.ReadBytes(padding);
                    int offset = reader.ReadInt32();
                    Table[Distance(offset)]++;
                    reader.ReadBytes({|#0:RoundUp(fieldLength)|});
                    var kind = Nibble(reader.ReadByte());
                    _ = {|#1:Table[Low(reader.ReadByte())]|};
                    return Names[kind];
                }

                private static int Distance(int length) => length % 4 == 0 ? 0 : 4 - (length % 4);

                private static int RoundUp(int length)
                {
                    var rest = length % 4;
                    return rest == 0 ? length : length + 4 - rest;
                }

                private static int Nibble(byte value)
                {
                    var high = (value >> 4) & 0xF;
                    return high;
                }

                private static int Low(byte value) => value;
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("RoundUp(fieldLength)", "BinaryReader.ReadUInt16 (line 10)", "reader.ReadBytes(RoundUp(fieldLength))"),
            VerifyCS.Diagnostic("SBD2001").WithLocation(1).WithArguments("Low(reader.ReadByte())", "BinaryReader.ReadByte (line 17)", "Table[Low(reader.ReadByte())]", "which can be 255, past the 8 elements of 'Table'"));
    }

    [Fact]
    public async Task RangesABodyCannotVouchFor_StayFlagged()
    {
        // An override can return anything; a ref local, a nested deconstruction write the local without naming it; a
        // shift count of 33 is 1 for an int.
        const string source = """
            using System.IO;

            class Codec { public virtual int Width(int raw) => raw & 7; }

            sealed class Wide : Codec { public override int Width(int raw) => raw; }

            static class Tables
            {
                private static readonly int[] Table = new int[8];

                public static int Read(BinaryReader reader, Codec codec)
                {
                    int sum = {|#0:Table[codec.Width(reader.ReadInt32())]|};
                    sum += {|#1:Table[Aliased(reader.ReadInt32())]|};
                    sum += {|#2:Table[Deconstructed(reader.ReadInt32())]|};
                    return sum + {|#3:Table[Shifted(reader.ReadInt32())]|};
                }

                private static int Aliased(int value) { int n = value & 7; ref int r = ref n; r = value; return n; }

                private static int Deconstructed(int value) { int n = value & 7; int m; (m, (n, m)) = (0, (value, 1)); return n; }

                private static int Shifted(int value) => (value & 0x7FFFFFFF) >> 33;
            }
            """;

        DiagnosticResult Index(int location, string index, int line, string reach, string why) =>
            VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, $"BinaryReader.ReadInt32 (line {line})", reach, why);

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "codec.Width(reader.ReadInt32())", 13, "Table[codec.Width(reader.ReadInt32())]", "which can be 2147483647, past the 8 elements of 'Table'"),
            Index(1, "Aliased(reader.ReadInt32())", 14, "Table[Aliased(reader.ReadInt32())]", "which can be 2147483647, past the 8 elements of 'Table'"),
            Index(2, "Deconstructed(reader.ReadInt32())", 15, "Table[Deconstructed(reader.ReadInt32())]", "which can be 2147483647, past the 8 elements of 'Table'"),
            Index(3, "Shifted(reader.ReadInt32())", 16, "Table[Shifted(reader.ReadInt32())]", "which can be 1073741823, past the 8 elements of 'Table'"));
    }
}
