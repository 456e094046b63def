using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

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

                int Minimum(BinaryReader reader) => Lookup[Math.Min((int)reader.ReadByte(), 15)];

                static readonly int[] Wide = new int[256];

                int Narrowed(BinaryReader reader) => Wide[(byte)reader.ReadInt32()];

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
            Index(2, "idx", "BinaryReader.ReadInt32 (line 22)", "table[idx]", "with no check that it is not negative"),
            Index(3, "idx", "BinaryReader.ReadInt32 (line 29)", "table[idx]", "with no check against 'table.Length'"),
            Index(4, "i", "BinaryReader.ReadInt32 (line 37)", "table[i]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task Propagation_ThroughFieldsOfLocalsArithmeticCastsElementsAndCalls_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Cursor { public int Position; }

            class Parser
            {
                int Fields(Stream stream, int[] table)
                {
                    var cursor = new Cursor();
                    cursor.Position = stream.ReadByte() * 4 + 1;
                    return {|#0:table[cursor.Position]|};
                }

                int Elements(Stream stream, int[] table)
                {
                    var header = new byte[8];
                    stream.ReadExactly(header);
                    var slot = (int)BitConverter.ToUInt16(header, 2);
                    return {|#1:table[slot]|} + {|#2:table[header[0]]|};
                }

                int Calls(BinaryReader reader, int[] table) => {|#3:table[Offset(reader.ReadInt32())]|} + {|#4:table[Next(reader)]|};

                private static int Offset(int raw) => raw - 16;

                private static int Next(BinaryReader reader) => reader.ReadInt16();
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "cursor.Position", "Stream.ReadByte (line 11)", "table[cursor.Position]", "with no check against 'table.Length'"),
            Index(1, "slot", "Stream.ReadExactly (line 18)", "table[slot]", "with no check against 'table.Length'"),
            Index(2, "header[0]", "Stream.ReadExactly (line 18)", "table[header[0]]", "with no check against 'table.Length'"),
            Index(3, "Offset(reader.ReadInt32())", "BinaryReader.ReadInt32 (line 23)", "table[Offset(reader.ReadInt32())]", "with no check against 'table.Length'"),
            Index(4, "Next(reader)", "Next (BinaryReader.ReadInt16 (line 27))", "table[Next(reader)]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task AnnotatedAndConfiguredSources_AreUntrusted_AndValidatorsCheck()
    {
        const string source = """
            using System;

            namespace Vendor
            {
                sealed class UntrustedContentAttribute : Attribute { }
                sealed class ContentParserAttribute : Attribute { }
                sealed class ContentValidatorAttribute : Attribute { }

                class Feed { public int Next() => 4; }

                class Parser
                {
                    static readonly int[] Table = new int[16];

                    int Marked([UntrustedContent] int slot) => {|#0:Table[slot]|};

                    [ContentParser]
                    static int Parse(byte[] content, int at) => {|#1:content[at]|};

                    int Configured(Feed feed) => {|#2:Table[feed.Next()]|};

                    int Validated([UntrustedContent] int slot)
                    {
                        Validate(slot);
                        return Table[slot];
                    }

                    int Trusted(int slot) => Table[slot];

                    [ContentValidator]
                    static void Validate(int slot) { if ((uint)slot >= 16) throw new ArgumentOutOfRangeException(nameof(slot)); }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.untrusted_sources = M:Vendor.Feed.Next\n"));
        test.ExpectedDiagnostics.Add(Index(0, "slot", "parameter 'slot'", "Table[slot]", "which can be 2147483647, past the 16 elements of 'Table'"));
        test.ExpectedDiagnostics.Add(Index(1, "at", "parameter 'at'", "content[at]", "with no check against 'content.Length'"));
        test.ExpectedDiagnostics.Add(Index(2, "feed.Next()", "Feed.Next (line 20)", "Table[feed.Next()]", "which can be 2147483647, past the 16 elements of 'Table'"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task ControlFlow_TryFinallySwitchLocalFunctionsLambdasAsync_AreFollowed()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            class Parser
            {
                static readonly int[] Table = new int[16];

                int InTry(BinaryReader reader)
                {
                    var idx = reader.ReadInt32();
                    try
                    {
                        if ((uint)idx >= 16) return 0;
                        return Table[idx];
                    }
                    catch (IOException)
                    {
                        return {|#0:Table[idx]|};
                    }
                    finally
                    {
                        Console.WriteLine({|#1:Table[idx]|});
                    }
                }

                int Switch(BinaryReader reader) => reader.ReadByte() switch
                {
                    var b when b < 16 => Table[b],
                    var b => {|#2:Table[b]|},
                };

                int Local(BinaryReader reader)
                {
                    var idx = reader.ReadInt32();
                    return Lookup() + Checked();

                    int Lookup() => {|#3:Table[idx]|};
                    int Checked() => idx is >= 0 and < 16 ? Table[idx] : 0;
                }

                Func<int> Lambda(BinaryReader reader)
                {
                    var idx = reader.ReadInt32();
                    return () => {|#4:Table[idx]|};
                }

                async Task<int> Async(Stream stream, byte[] buffer)
                {
                    var read = await stream.ReadAsync(buffer, 0, 4);
                    return {|#5:Table[buffer[0]]|} + Table[buffer[1] & 15];
                }

                unsafe int Unsafe(BinaryReader reader)
                {
                    var idx = reader.ReadInt32();
                    fixed (int* p = Table)
                    {
                        return {|#6:Table[idx]|};
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(Index(0, "idx", "BinaryReader.ReadInt32 (line 11)", "Table[idx]", "which can be 2147483647, past the 16 elements of 'Table'"));
        test.ExpectedDiagnostics.Add(Index(1, "idx", "BinaryReader.ReadInt32 (line 11)", "Table[idx]", "which can be 2147483647, past the 16 elements of 'Table'"));
        test.ExpectedDiagnostics.Add(Index(2, "b", "BinaryReader.ReadByte (line 27)", "Table[b]", "which can be 255, past the 16 elements of 'Table'"));
        test.ExpectedDiagnostics.Add(Index(3, "idx", "BinaryReader.ReadInt32 (line 35)", "Table[idx]", "with no check against 'Table.Length'"));
        test.ExpectedDiagnostics.Add(Index(4, "idx", "BinaryReader.ReadInt32 (line 44)", "Table[idx]", "which can be 2147483647, past the 16 elements of 'Table'"));
        test.ExpectedDiagnostics.Add(Index(5, "buffer[0]", "Stream.ReadAsync (line 50)", "Table[buffer[0]]", "which can be 255, past the 16 elements of 'Table'"));
        test.ExpectedDiagnostics.Add(Index(6, "idx", "BinaryReader.ReadInt32 (line 56)", "Table[idx]", "which can be 2147483647, past the 16 elements of 'Table'"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task AllocationsSizedByContent_AreFlaggedUnlessBounded()
    {
        const string source = """
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Text;

            class Parser
            {
                const int MaxRecords = 4096;

                void Read(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var records = new int[{|#0:count|}];
                    var list = new List<string>({|#1:count|});
                    var rented = ArrayPool<byte>.Shared.Rent({|#2:count|});
                    var bytes = reader.ReadBytes({|#3:count|});
                    var text = new StringBuilder({|#4:count|});

                    if (count < 0 || count > MaxRecords) throw new InvalidDataException();
                    var bounded = new int[count];
                    var fromByte = new int[reader.ReadByte()];
                }
            }
            """;

        DiagnosticResult Size(int location, string allocation) =>
            VerifyCS.Diagnostic("SBD2003").WithLocation(location).WithArguments("count", "BinaryReader.ReadInt32 (line 12)", allocation);

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "new int[count]"),
            Size(1, "new List<string>(count)"),
            Size(2, "ArrayPool<byte>.Shared.Rent(count)"),
            Size(3, "reader.ReadBytes(count)"),
            Size(4, "new StringBuilder(count)"));
    }

    [Fact]
    public async Task Stackalloc_WithoutConstantCap_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                void Read(BinaryReader reader, int configured)
                {
                    var n = reader.ReadInt32();
                    Span<byte> a = {|#0:stackalloc byte[n]|};
                    Span<char> b = {|#1:stackalloc char[configured]|};
                    Span<byte> c = stackalloc byte[256];
                    if (n > 0 && n <= 512)
                    {
                        Span<char> d = stackalloc char[n];
                        Span<long> e = {|#2:stackalloc long[n]|};
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2004").WithLocation(0).WithArguments("n", " (from BinaryReader.ReadInt32 (line 8))", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(1).WithArguments("configured", "", 1024),
            VerifyCS.Diagnostic("SBD2004").WithLocation(2).WithArguments("n", " (from BinaryReader.ReadInt32 (line 8))", 1024));
    }

    [Fact]
    public async Task OverflowingSumInBoundsCheck_IsFlagged_SafeFormsAreQuiet()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                byte[] Slice(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ({|#0:offset + length > buffer.Length|}) throw new InvalidDataException();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) throw new InvalidDataException();
                    if ((long)offset + length > buffer.Length) throw new InvalidDataException();
                    if (checked(offset + length) > buffer.Length) throw new InvalidDataException();
                    var small = reader.ReadByte() + reader.ReadByte();
                    if (small > buffer.Length) throw new InvalidDataException();
                    return buffer;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic("SBD2008").WithLocation(0).WithArguments("offset + length > buffer.Length", "\'offset\' and \'length\'", "BinaryReader.ReadInt32 (line 7)"));
    }

    [Fact]
    public async Task UncheckedIndex_FixInsertsUnsignedCheck_FixAllOncePerIndex()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                int Read(BinaryReader reader, int[] table, int[] other)
                {
                    var idx = reader.ReadInt32();
                    var sum = {|#0:table[idx]|} + {|#1:table[idx]|};
                    return sum + {|#2:other[idx]|};
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Parser
            {
                int Read(BinaryReader reader, int[] table, int[] other)
                {
                    var idx = reader.ReadInt32();
                    if ((uint)idx >= (uint)table.Length)
                    {
                        throw new InvalidDataException("Index 'idx' is outside 'table'.");
                    }

                    var sum = table[idx] + table[idx];
                    if ((uint)idx >= (uint)other.Length)
                    {
                        throw new InvalidDataException("Index 'idx' is outside 'other'.");
                    }

                    return sum + other[idx];
                }
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Index(0, "idx", "BinaryReader.ReadInt32 (line 7)", "table[idx]", "with no check against 'table.Length'"),
                Index(1, "idx", "BinaryReader.ReadInt32 (line 7)", "table[idx]", "with no check against 'table.Length'"),
                Index(2, "idx", "BinaryReader.ReadInt32 (line 7)", "other[idx]", "with no check against 'other.Length'"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task OverflowingSum_FixComparesUnsigned()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                bool Fits(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ({|#0:offset + length > buffer.Length|}) return false;
                    return {|#1:offset + length <= buffer.Length|};
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Parser
            {
                bool Fits(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) return false;
                    return (uint)offset <= (uint)buffer.Length && (uint)length <= (uint)(buffer.Length - offset);
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [
                VerifyCS.Diagnostic("SBD2008").WithLocation(0).WithArguments("offset + length > buffer.Length", "\'offset\' and \'length\'", "BinaryReader.ReadInt32 (line 7)"),
                VerifyCS.Diagnostic("SBD2008").WithLocation(1).WithArguments("offset + length <= buffer.Length", "\'offset\' and \'length\'", "BinaryReader.ReadInt32 (line 7)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task RangesFromContent_SlicedOrCopiedUnchecked_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Text;

            class Parser
            {
                void Read(BinaryReader reader, byte[] buffer, byte[] target, string text)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    var a = {|#0:buffer.AsSpan(offset, length)|};
                    var b = {|#1:text.Substring(offset)|};
                    {|#2:Array.Copy(buffer, 0, target, offset, 4)|};
                    var c = {|#3:Encoding.UTF8.GetString(buffer, offset, length)|};
                    if ({|#5:offset + length > buffer.Length|}) throw new InvalidDataException();
                    var d = {|#4:new ReadOnlySpan<byte>(buffer).Slice(offset, length)|};
                }
            }
            """;

        const string advice = "BinaryReader.ReadInt32 (line 9)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("offset, length", advice, "buffer.AsSpan(offset, length)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(1).WithArguments("offset", advice, "text.Substring(offset)", "text.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(2).WithArguments("offset, 4", advice, "Array.Copy(buffer, 0, target, offset, 4)", "target.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(3).WithArguments("offset, length", advice, "Encoding.UTF8.GetString(buffer, offset, length)", "buffer.Length"),
            VerifyCS.Diagnostic("SBD2002").WithLocation(4).WithArguments("offset, length", advice, "new ReadOnlySpan<byte>(buffer).Slice(offset, length)", "new ReadOnlySpan<byte>(buffer).Length"),
            VerifyCS.Diagnostic("SBD2008").WithLocation(5).WithArguments("offset + length > buffer.Length", "\'offset\' and \'length\'", advice));
    }

    [Fact]
    public async Task RangesFromContent_CheckedToFit_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                static readonly byte[] Fixed = new byte[32];

                void Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) throw new InvalidDataException();
                    var a = buffer.AsSpan(offset, length);
                    var b = buffer.AsSpan(offset);
                    var c = Fixed.AsSpan(reader.ReadByte() & 15, reader.ReadByte() & 15);
                    var d = buffer.AsSpan(0, 16);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task UncheckedRange_FixInsertsOverflowSafeCheck()
    {
        const string source = """
            using System;
            using System.IO;

            class Parser
            {
                byte[] Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    return {|#0:buffer.AsSpan(offset, length)|}.ToArray();
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;

            class Parser
            {
                byte[] Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    var length = reader.ReadInt32();
                    if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset))
                    {
                        throw new InvalidDataException("Range 'offset, length' is outside 'buffer'.");
                    }

                    return buffer.AsSpan(offset, length).ToArray();
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic("SBD2002").WithLocation(0).WithArguments("offset, length", "BinaryReader.ReadInt32 (line 8)", "buffer.AsSpan(offset, length)", "buffer.Length")],
            fixedSource);
    }

    [Fact]
    public async Task UnsafeOffsetsFromContent_AreFlaggedUnlessBelowABufferLength()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;

            class Parser
            {
                unsafe int Read(BinaryReader reader, byte[] buffer, IntPtr native)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = buffer)
                    {
                        int value = *(start + offset);
                        value += Marshal.ReadByte(native, 0);
                        value += {|#1:Marshal.ReadInt32(native, offset)|};
                        value += {|#2:Unsafe.Add(ref buffer[0], offset)|};
                        if ((uint)offset < (uint)buffer.Length)
                        {
                            value += *(start + offset);
                        }

                        return value;
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        const string origin = "BinaryReader.ReadInt32 (line 10)";
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithSpan(13, 27, 13, 41).WithArguments("offset", origin, "start + offset"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithLocation(1).WithArguments("offset", origin, "Marshal.ReadInt32(native, offset)"));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithLocation(2).WithArguments("offset", origin, "Unsafe.Add(ref buffer[0], offset)"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task WholeInputReads_AreFlaggedUnlessLengthChecked()
    {
        const string source = """
            using System.IO;
            using System.Net.Http;
            using System.Text.Json;
            using System.Threading.Tasks;

            class Loader
            {
                const long MaxContentBytes = 1 << 20;

                async Task Load(HttpClient client, string path)
                {
                    var response = await client.GetAsync("https://updates.example.com/rules.json");
                    var all = await {|#0:response.Content.ReadAsByteArrayAsync()|};

                    using var file = File.OpenRead(path);
                    var text = {|#1:new StreamReader(file).ReadToEnd()|};
                    var copy = new MemoryStream();
                    {|#2:file.CopyTo(copy)|};
                    using var document = {|#3:JsonDocument.Parse(file)|};

                    using var bounded = File.OpenRead(path);
                    if (bounded.Length > MaxContentBytes) throw new InvalidDataException();
                    bounded.CopyTo(copy);

                    var content = response.Content;
                    if (content.Headers.ContentLength is not <= MaxContentBytes) throw new InvalidDataException();
                    var checkedText = await content.ReadAsStringAsync();
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2006").WithLocation(0).WithArguments("response.Content.ReadAsByteArrayAsync()", "'response.Content' (from HttpClient.GetAsync (line 12))"),
            VerifyCS.Diagnostic("SBD2006").WithLocation(1).WithArguments("new StreamReader(file).ReadToEnd()", "'new StreamReader(file)' (from File.OpenRead (line 15))"),
            VerifyCS.Diagnostic("SBD2006").WithLocation(2).WithArguments("file.CopyTo(copy)", "'file' (from File.OpenRead (line 15))"),
            VerifyCS.Diagnostic("SBD2006").WithLocation(3).WithArguments("JsonDocument.Parse(file)", "'file' (from File.OpenRead (line 15))"));
    }

    [Fact]
    public async Task LoopsCountedByContent_AreFlaggedUnlessCapped()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Parser
            {
                const int MaxRecords = 10000;

                List<string> Read(BinaryReader reader)
                {
                    var records = new List<string>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#0:i < count|}; i++) records.Add(reader.ReadString());

                    var remaining = reader.ReadInt32();
                    while ({|#1:remaining-- > 0|}) records.Add(new string('x', 1));

                    var capped = reader.ReadInt32();
                    if (capped > MaxRecords) throw new InvalidDataException();
                    for (var i = 0; i < capped; i++) records.Add(reader.ReadString());

                    var sum = 0;
                    for (var i = 0; i < count; i++) sum += i;
                    return records;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 11)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("remaining--", "BinaryReader.ReadInt32 (line 14)"));
    }

    [Fact]
    public async Task UnsafeOffset_FixChecksAgainstThePinnedBuffer()
    {
        const string source = """
            using System.IO;

            class Parser
            {
                unsafe byte Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = buffer)
                    {
                        var value = *(start + offset);
                        return value;
                    }
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            class Parser
            {
                unsafe byte Read(BinaryReader reader, byte[] buffer)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = buffer)
                    {
                        if ((uint)offset >= (uint)buffer.Length)
                        {
                            throw new InvalidDataException("Offset 'offset' is outside 'buffer'.");
                        }

                        var value = *(start + offset);
                        return value;
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source, FixedCode = fixedSource };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("SBD2005").WithSpan(10, 27, 10, 41).WithArguments("offset", "BinaryReader.ReadInt32 (line 7)", "start + offset"));
        await VerifyCS.RunAsync(test);
    }

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
                    for (var n = reader.ReadInt32(); {|#0:n > 0|}; n--) names.Add(reader.ReadString());
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
}
