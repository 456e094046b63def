using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class MemoryBoundsTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access, string why) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, why);

    [Fact]
    public async Task IndexFromReader_Unchecked_IsFlagged()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                static readonly int[] Table = new int[64];

                int Read(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    return {|#0:table[idx]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Index(0, "idx", "BinaryReader.ReadInt32 (line 9)", "table[idx]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task IndexFromReader_CheckedOnBothSides_IsQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly byte[] Lookup = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

                int Unsigned(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    if ((uint)idx >= (uint)table.Length) throw new InvalidDataException();
                    return table[idx];
                }

                int TwoSided(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    if (idx < 0 || idx >= table.Length) return -1;
                    return table[idx];
                }

                int Helpers(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    ArgumentOutOfRangeException.ThrowIfNegative(idx);
                    ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(idx, table.Length);
                    return table[idx];
                }

                int Masked(BinaryReader reader) => Lookup[reader.ReadInt32() & 0x0F];

                int Modulo(BinaryReader reader) => Lookup[reader.ReadByte() % 16];

                int Clamped(BinaryReader reader) => Lookup[Math.Clamp(reader.ReadInt32(), 0, 15)];

                int Pattern(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    if (idx is >= 0 and < 16) return Lookup[idx];
                    return 0;
                }

                int Loop(BinaryReader reader, int[] table)
                {
                    var sum = 0;
                    var count = reader.ReadInt32();
                    for (var i = 0; i < count && i < table.Length; i++) sum += table[i];
                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task IndexFromReader_TrickyChecks_AreFlagged()
    {
        const string source = """
            using System.Diagnostics;
            using System.IO;

            class Parser
            {
                int WrongBuffer(BinaryReader reader, int[] table, int[] other)
                {
                    var idx = reader.ReadInt32();
                    if ((uint)idx >= (uint)other.Length) return 0;
                    return {|#0:table[idx]|};
                }

                int OneShort(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    if (idx < 0 || idx > table.Length) return 0;
                    return {|#1:table[idx]|};
                }

                int Signed(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    if (idx >= table.Length) return 0;
                    return {|#2:table[idx]|};
                }

                int Asserted(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    Debug.Assert(idx >= 0 && idx < table.Length);
                    return {|#3:table[idx]|};
                }

                int LoopOverCount(BinaryReader reader, int[] table)
                {
                    var sum = 0;
                    var count = reader.ReadInt32();
                    for (var i = 0; i < count; i++) sum += {|#4:table[i]|};
                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "idx", "BinaryReader.ReadInt32 (line 8)", "table[idx]", "with a check against 'other.Length', not 'table.Length'"),
            Index(1, "idx", "BinaryReader.ReadInt32 (line 15)", "table[idx]", "with a check that lets it equal 'table.Length' (one short: use <, not <=)"),
            Index(2, "idx", "BinaryReader.ReadInt32 (line 22)", "table[idx]", "with no check that it is not negative (it is checked against 'table.Length' only from above)"),
            Index(3, "idx", "BinaryReader.ReadInt32 (line 29)", "table[idx]", "with no check against 'table.Length'"),
            Index(4, "i", "BinaryReader.ReadInt32 (line 37)", "table[i]", "with no check against 'table.Length'"));
    }
}
