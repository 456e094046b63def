using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD2001: untrusted indexes, and how values become untrusted and checked (sources, propagation, control flow).</summary>
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
    public async Task ArrayOfTheAskedLengthFromACallee_IsBoundedByThatLength()
    {
        // A reader helper that returns exactly as many bytes as it was asked for: indexes below that count fit the
        // array it returned. A helper that returns some other length gives no such proof.
        const string source = """
            using System.IO;

            class PacketReader
            {
                private const int MaxPacket = 64 * 1024;
                private readonly Stream stream;

                PacketReader(Stream stream) => this.stream = stream;

                byte[] ReadBytes(int count)
                {
                    var bytes = new byte[count];
                    stream.ReadExactly(bytes);
                    return bytes;
                }

                byte[] ReadHalf(int count) => new byte[count / 2];

                int Checksum(BinaryReader reader)
                {
                    var length = reader.ReadInt32();
                    if (length > MaxPacket) throw new InvalidDataException();
                    var body = ReadBytes(length);
                    var half = ReadHalf(length);
                    var local = new byte[length];
                    var sum = 0;
                    for (var i = 0; i < length; i++)
                    {
                        sum += body[i] + local[i];
                    }

                    for (var i = 0; i < length; i++)
                    {
                        sum += {|#0:half[i]|};
                    }

                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("i", "BinaryReader.ReadInt32 (line 21)", "half[i]", "with a check against 'body.Length', not 'half.Length'"));
    }

    [Fact]
    public async Task ArrayMadeWithAnUncappedCount_FitsIndexesBelowIt_ButTheCountIsStillReported()
    {
        // The shape of IL and symbol readers: a count from the file, an array of that count, a loop that fills it.
        // The array has exactly count elements, so the index is in bounds; what is wrong is the count itself, reported
        // once, at the allocation (SBD2003), which meets it first: the loop that fills it (from another reader than the
        // count's) is fixed by the same cap. One short, another array, or the array replaced still leave the index
        // unchecked.
        const string source = """
            using System.IO;

            class OperandReader
            {
                int[] Branches(BinaryReader reader, BinaryReader operands)
                {
                    var length = reader.ReadInt32();
                    var branches = new int[{|#0:length|}];
                    for (var i = 0; i < length; i++)
                    {
                        branches[i] = operands.ReadInt32();
                    }

                    return branches;
                }

                int Mistakes(BinaryReader reader)
                {
                    var count = reader.ReadInt32();
                    var table = new int[{|#2:count|}];
                    var other = new int[4];
                    var sum = 0;
                    for (var i = 0; i <= count; i++)
                    {
                        sum += {|#3:table[i]|} + {|#4:other[i]|};
                    }

                    table = new int[2];
                    for (var i = 0; i < count; i++)
                    {
                        sum += {|#5:table[i]|};
                    }

                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("length", "BinaryReader.ReadInt32 (line 7)", "new int[length]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("count", "BinaryReader.ReadInt32 (line 19)", "new int[count]"),
            Index(3, "i", "BinaryReader.ReadInt32 (line 19)", "table[i]", "with a check that lets it equal 'table.Length' (one short: use <, not <=)"),
            Index(4, "i", "BinaryReader.ReadInt32 (line 19)", "other[i]", "which can be 2147483591, past the 4 elements of 'other'"),
            Index(5, "i", "BinaryReader.ReadInt32 (line 19)", "table[i]", "which can be 2147483590, past the 2 elements of 'table'"));
    }

    [Fact]
    public async Task ArrayMadeWithAnUnsignedCount_FitsIndexesBelowIt_ALongCountCastToIntDoesNot()
    {
        // Metadata readers read counts as uint (ReadCompressedUInt32). new T[n] and new T[(int)n] with a uint n have n
        // elements when they succeed ((int)n of a uint past int.MaxValue is negative and throws), so i < n fits. A long
        // cast to int may be another number: (int)n of 2^32 + 1 is 1, so i < n does not fit, and the loop up to n is not the
        // allocation's count (reported on its own, SBD2007), where the loop up to the uint n is (reported once, SBD2003).
        const string source = """
            using System.IO;

            class SignatureReader
            {
                int[] Sizes(BinaryReader reader, BinaryReader values)
                {
                    var count = reader.ReadUInt32();
                    var sizes = new int[{|#0:count|}];
                    var bounds = new int[{|#1:(int)count|}];
                    for (var i = 0; i < count; i++)
                    {
                        sizes[i] = values.ReadInt32();
                        bounds[i] = values.ReadInt32();
                    }

                    return sizes;
                }

                long[] Wide(BinaryReader reader, BinaryReader values)
                {
                    var count = reader.ReadInt64();
                    var items = new long[{|#3:(int)count|}];
                    for (long i = 0; {|#4:i < count|}; i++)
                    {
                        {|#5:items[i]|} = values.ReadInt64();
                    }

                    return items;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "BinaryReader.ReadUInt32 (line 7)", "new int[count]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("(int)count", "BinaryReader.ReadUInt32 (line 7)", "new int[(int)count]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(3).WithArguments("(int)count", "BinaryReader.ReadInt64 (line 21)", "new long[(int)count]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(4).WithArguments("count", "BinaryReader.ReadInt64 (line 21)"),
            Index(5, "i", "BinaryReader.ReadInt64 (line 21)", "items[i]", "with no check against 'items.Length'"));
    }

    [Fact]
    public async Task HeaderAHelperFillsWithItsOwnRead_IsContent_OneItResetsIsNot()
    {
        // The shape of archive header factories: the signature picks the header type, the header's own Read fills its
        // fields from the reader, and the factory returns it. What the header holds is content, whatever the signature
        // was; a header the factory resets to the program's values is not, though the signature that chose it was read.
        const string source = """
            using System.IO;

            sealed class EntryHeader
            {
                public ushort Disk { get; private set; }

                public void Read(BinaryReader reader)
                {
                    Disk = reader.ReadUInt16();
                }

                public void Reset()
                {
                    Disk = 0;
                }
            }

            class HeaderFactory
            {
                public EntryHeader ReadHeader(uint signature, BinaryReader reader)
                {
                    switch (signature)
                    {
                        case 0x02014b50:
                            var entry = new EntryHeader();
                            entry.Read(reader);
                            return entry;
                        default:
                            return null;
                    }
                }

                public EntryHeader Empty(uint signature)
                {
                    var entry = new EntryHeader();
                    if (signature != 0) entry.Reset();
                    return entry;
                }
            }

            class Archive
            {
                Stream Open(Stream[] volumes, BinaryReader reader, HeaderFactory headers)
                {
                    var header = headers.ReadHeader(reader.ReadUInt32(), reader);
                    return {|#0:volumes[header.Disk]|};
                }

                Stream First(Stream[] volumes, BinaryReader reader, HeaderFactory headers)
                {
                    var header = headers.Empty(reader.ReadUInt32());
                    return volumes[header.Disk];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "header.Disk", "ReadHeader (BinaryReader.ReadUInt16 (line 9))", "volumes[header.Disk]", "with no check against 'volumes.Length'"));
    }

    [Fact]
    public async Task LoopBoundWrittenAsTheArraysSize_FitsIndexesBelowIt_TheUncastCountDoesNot()
    {
        // The shape of property-list and table readers: a trailer record read once, an array sized by a cast of its
        // 64-bit count, and a loop bounded by the same cast. The bound is the array's length, whatever the count is; the
        // count uncast may be another number ((int)n of 2^32 + 1 is 1), and a count a setter may change is not the size
        // the array was made with, nor is a read-only field in the constructor that sets it.
        const string source = """
            using System.IO;

            sealed class Trailer
            {
                public long Objects { get; init; }
                public long Top { get; set; }
            }

            class PropertyListReader
            {
                static Trailer ReadTrailer(BinaryReader reader) => new Trailer { Objects = reader.ReadInt64(), Top = reader.ReadInt64() };

                int[] Offsets(BinaryReader reader, BinaryReader table)
                {
                    var trailer = ReadTrailer(reader);
                    var offsets = new int[{|#0:(int)trailer.Objects|}];
                    for (var i = 0; {|#1:i < (int)trailer.Objects|}; i++)
                    {
                        offsets[i] = table.ReadInt32();
                    }

                    return offsets;
                }

                int[] Mistakes(BinaryReader reader, BinaryReader table)
                {
                    var trailer = ReadTrailer(reader);
                    var offsets = new int[{|#2:(int)trailer.Objects|}];
                    for (long i = 0; {|#3:i < trailer.Objects|}; i++)
                    {
                        {|#4:offsets[i]|} = table.ReadInt32();
                    }

                    var tops = new int[{|#5:(int)trailer.Top|}];
                    trailer.Top = table.ReadInt64();
                    for (var i = 0; {|#6:i < (int)trailer.Top|}; i++)
                    {
                        {|#7:tops[i]|} = table.ReadInt32();
                    }

                    return offsets;
                }
            }

            sealed class Index
            {
                readonly long rows;

                // A constructor may still assign the read-only fields it is setting up.
                Index(BinaryReader reader, BinaryReader table)
                {
                    rows = reader.ReadInt64();
                    var first = new int[{|#8:(int)rows|}];
                    rows = reader.ReadInt64();
                    for (var i = 0; {|#9:i < (int)rows|}; i++)
                    {
                        {|#10:first[i]|} = table.ReadInt32();
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("(int)trailer.Objects", "ReadTrailer (BinaryReader.ReadInt64 (line 11))", "new int[(int)trailer.Objects]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("(int)trailer.Objects", "ReadTrailer (BinaryReader.ReadInt64 (line 11))"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("(int)trailer.Objects", "ReadTrailer (BinaryReader.ReadInt64 (line 11))", "new int[(int)trailer.Objects]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(3).WithArguments("trailer.Objects", "ReadTrailer (BinaryReader.ReadInt64 (line 11))"),
            Index(4, "i", "ReadTrailer (BinaryReader.ReadInt64 (line 11))", "offsets[i]", "with no check against 'offsets.Length'"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(5).WithArguments("(int)trailer.Top", "ReadTrailer (BinaryReader.ReadInt64 (line 11))", "new int[(int)trailer.Top]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(6).WithArguments("(int)trailer.Top", "ReadTrailer (BinaryReader.ReadInt64 (line 11))"),
            Index(7, "i", "ReadTrailer (BinaryReader.ReadInt64 (line 11))", "tops[i]", "with no check against 'tops.Length'"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(8).WithArguments("(int)rows", "BinaryReader.ReadInt64 (line 52)", "new int[(int)rows]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(9).WithArguments("(int)rows", "BinaryReader.ReadInt64 (line 54)"),
            Index(10, "i", "BinaryReader.ReadInt64 (line 54)", "first[i]", "with no check against 'first.Length'"));
    }

    [Fact]
    public async Task CountCheckedEqualToTheListCount_FitsIndexesBelowIt_AnotherListDoesNot()
    {
        // The shape of page and frame headers: a segment count from the header, the segment table read, and a sanity
        // check that throws unless the table holds exactly that many. Checked against another list, it proves nothing.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class PageHeader
            {
                int Size(BinaryReader reader, List<byte> segments)
                {
                    var count = reader.ReadByte();
                    if (count < 1 || segments.Count != count)
                    {
                        throw new InvalidDataException("Incorrect number of page segments");
                    }

                    var size = 0;
                    for (var i = 0; i < count; i++)
                    {
                        size += segments[i];
                    }

                    return size + segments[count - 1];
                }

                int Other(BinaryReader reader, List<byte> segments, List<byte> lacing)
                {
                    var count = reader.ReadInt32();
                    if (count < 1 || lacing.Count != count)
                    {
                        throw new InvalidDataException("Incorrect number of page segments");
                    }

                    return {|#0:segments[count - 1]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "count - 1", "BinaryReader.ReadInt32 (line 25)", "segments[count - 1]", "with a check against 'lacing.Count', not 'segments.Count'"));
    }

    [Fact]
    public async Task IndexUsedAgain_IsReportedOnce_OnAnotherBufferOrAfterANewReadItIsFlagged()
    {
        const string source = """
            using System.IO;

            class Glyphs
            {
                int Lookup(BinaryReader reader, int[] created, int[] flags)
                {
                    var glyph = reader.ReadUInt16();
                    var first = {|#0:created[glyph]|};
                    created[glyph] = first + 1;
                    var flag = {|#1:flags[glyph]|};
                    glyph = reader.ReadUInt16();
                    return first + flag + {|#2:created[glyph]|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "glyph", "BinaryReader.ReadUInt16 (line 7)", "created[glyph]", "with no check against 'created.Length'"),
            Index(1, "glyph", "BinaryReader.ReadUInt16 (line 7)", "flags[glyph]", "with no check against 'flags.Length'"),
            Index(2, "glyph", "BinaryReader.ReadUInt16 (line 11)", "created[glyph]", "with no check against 'created.Length'"));
    }
}
