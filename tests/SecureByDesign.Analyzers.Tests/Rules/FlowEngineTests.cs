using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>The flow engine under the memory-bounds rules: conditions with effects, validators, loops, the budget.</summary>
public class FlowEngineTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access, string why) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, why);

    [Fact]
    public async Task Engine_ConditionsWithEffectsFieldsOfUntrustedStructsAndNarrowingCasts()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Runtime.InteropServices;

            struct Header { public int Size; public int Slot; }

            class Parser
            {
                static readonly int MaxRecords = 4096;

                void Parse(string path, BinaryReader reader, IntPtr native, int[] table, IList<int> list, Dictionary<int, string> names)
                {
                    if (!int.TryParse(reader.ReadString(), out var n)) return;
                    var a = new byte[{|#0:n|}];

                    var header = Marshal.PtrToStructure<Header>(native);
                    var b = new byte[{|#1:header.Size|}];

                    long position = reader.ReadInt64();
                    if (position < 0 || (int)position >= table.Length) return;
                    var c = {|#2:table[position]|};

                    var slot = reader.ReadInt32();
                    var d = {|#3:list[slot]|} + names[slot].Length;

                    var count = reader.ReadInt32();
                    if (count > MaxRecords) throw new InvalidDataException();
                    var e = new int[count];

                    var big = reader.ReadInt32();
                    if (big > 100_000_000) throw new InvalidDataException();
                    var f = new byte[big];

                    var content = File.ReadAllBytes(path);
                    if (content.Length == 0) return;
                    var g = new byte[content.Length];
                    var h = new MemoryStream(content, 0, count);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("n", "BinaryReader.ReadString (line 14)", "new byte[n]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("header.Size", "Marshal.PtrToStructure (line 17)", "new byte[header.Size]"),
            Index(2, "position", "BinaryReader.ReadInt64 (line 20)", "table[position]", "with no check against 'table.Length'"),
            Index(3, "slot", "BinaryReader.ReadInt32 (line 24)", "list[slot]", "with no check against 'list.Count'"));
    }

    [Fact]
    public async Task Engine_ValidatorsCountOnlyWhereTheyPass()
    {
        const string source = """
            using System;
            using System.IO;

            sealed class ContentValidatorAttribute : Attribute { }

            class Parser
            {
                static readonly int[] Table = new int[16];

                int Read(BinaryReader reader)
                {
                    var a = reader.ReadInt32();
                    if (!IsValid(a)) return 0;
                    var b = reader.ReadInt32();
                    IsValid(b);
                    var c = reader.ReadInt32();
                    if (IsValid(c)) { }
                    return Table[a] + {|#0:Table[b]|} + {|#1:Table[c]|};
                }

                [ContentValidator]
                static bool IsValid(int slot) => (uint)slot < 16;
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "b", "BinaryReader.ReadInt32 (line 14)", "Table[b]", "which can be 2147483647, past the 16 elements of 'Table'"),
            Index(1, "c", "BinaryReader.ReadInt32 (line 16)", "Table[c]", "which can be 2147483647, past the 16 elements of 'Table'"));
    }

    [Fact]
    public async Task Engine_ReadLoopsZeroOffsetsAndCountDownLoops()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Parser
            {
                byte[] Copy(Stream stream, byte[] buffer)
                {
                    var output = new MemoryStream();
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        output.Write(buffer, 0, read);
                    }

                    var n = new BinaryReader(stream).ReadInt32();
                    if ((uint)n > (uint)buffer.Length) throw new InvalidDataException();
                    var head = buffer.AsSpan(0, n);
                    return output.ToArray();
                }

                List<string> CountDown(BinaryReader reader)
                {
                    var names = new List<string>();
                    for (var n = reader.ReadInt32(); {|#0:n > 0|}; n--) names.Add(n.ToString());
                    return names;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("n", "BinaryReader.ReadInt32 (line 25)"));
    }

    [Fact]
    public async Task Engine_StopsOnItsBudget_AndReportsNothingForThatMethodOnly()
    {
        // Thousands of branches make more block visits than the per-method budget allows: the engine gives up on
        // that method (no finding rather than a guess) and still analyzes the small one beside it.
        var branches = string.Concat(Enumerable.Range(0, 3000).Select(k => $"        if (idx == {k}) seen++;\n"));
        var source = $$"""
            using System.IO;

            class Parser
            {
                int Huge(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    var seen = 0;
            {{branches}}
                    return table[idx] + seen;
                }

                int Small(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    return {|#0:table[idx]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Index(0, "idx", "BinaryReader.ReadInt32 (line 3015)", "table[idx]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task Engine_DoesNotReturnIfHelpersCheck_ConditionalOnesDoNot()
    {
        const string source = """
            using System.Diagnostics;
            using System.Diagnostics.CodeAnalysis;
            using System.IO;

            class Parser
            {
                static void Require([DoesNotReturnIf(false)] bool condition) { if (!condition) throw new InvalidDataException(); }

                [Conditional("DEBUG")]
                static void Check([DoesNotReturnIf(false)] bool condition) { }

                int Read(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    Require((uint)idx < (uint)table.Length);
                    return table[idx];
                }

                int Debugged(BinaryReader reader, int[] table)
                {
                    var idx = reader.ReadInt32();
                    Check((uint)idx < (uint)table.Length);
                    return {|#0:table[idx]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Index(0, "idx", "BinaryReader.ReadInt32 (line 21)", "table[idx]", "with no check against 'table.Length'"));
    }
}
