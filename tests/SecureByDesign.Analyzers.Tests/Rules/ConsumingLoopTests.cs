using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD2007 and loops that read their count's input on every pass: a lying count runs out of input, so the work is
/// linear in the input's size. Twins in the shapes of binary readers (BinaryReader, a cecil-like ByteBuffer, a helper
/// per entry): quiet when every pass reads from the count's reader, flagged when a pass may not.
/// </summary>
public class ConsumingLoopTests
{
    [Fact]
    public async Task BinaryReaderLoops_ThatReadEveryPass_AreQuiet()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Entry
            {
                public Entry(BinaryReader reader) { Name = reader.ReadString(); Size = reader.ReadInt32(); }
                public string Name;
                public int Size;
            }

            class Reader
            {
                readonly BinaryReader input;

                Reader(BinaryReader input) { this.input = input; }

                int[] Branches(BinaryReader reader)
                {
                    var length = reader.ReadInt32();
                    var branches = new List<int>();
                    for (var i = 0; i < length; i++)
                    {
                        branches.Add(reader.ReadInt32());
                    }

                    return branches.ToArray();
                }

                List<string> Names()
                {
                    var names = new List<string>();
                    var count = input.ReadInt32();
                    for (var i = 0; i < count; i++) names.Add(input.ReadString());
                    return names;
                }

                List<Entry> Entries(BinaryReader reader)
                {
                    var entries = new List<Entry>();
                    var count = (int)reader.ReadUInt32();
                    for (var i = 0; i < count; i++)
                    {
                        entries.Add(new Entry(reader));
                    }

                    return entries;
                }

                List<byte[]> Blocks(Stream stream, BinaryReader header)
                {
                    var blocks = new List<byte[]>();
                    var count = header.ReadInt32();
                    var index = 0;
                    while (index < count)
                    {
                        var kind = header.ReadByte();
                        blocks.Add(kind == 0 ? new byte[0] : new byte[16]);
                        index++;
                    }

                    return blocks;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task BinaryReaderLoops_ThatMaySkipTheRead_AreFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class Reader
            {
                List<int> OneBranch(BinaryReader reader, bool wide)
                {
                    var values = new List<int>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#0:i < count|}; i++)
                    {
                        if (wide)
                        {
                            values.Add(reader.ReadInt32());
                        }
                    }

                    return values;
                }

                List<byte[]> Allocates(BinaryReader reader)
                {
                    var blocks = new List<byte[]>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#1:i < count|}; i++)
                    {
                        blocks.Add(new byte[1024]);
                    }

                    return blocks;
                }

                List<string> OtherReader(BinaryReader header, BinaryReader body)
                {
                    var names = new List<string>();
                    var count = header.ReadInt32();
                    for (var i = 0; {|#2:i < count|}; i++) names.Add(body.ReadString());
                    return names;
                }

                List<string> Swallowed(BinaryReader reader)
                {
                    var names = new List<string>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#3:i < count|}; i++)
                    {
                        try
                        {
                            names.Add(reader.ReadString());
                        }
                        catch (EndOfStreamException)
                        {
                            names.Add(string.Empty);
                        }
                    }

                    return names;
                }

                List<int> Rewound(BinaryReader reader)
                {
                    var values = new List<int>();
                    var count = reader.ReadInt32();
                    var start = reader.BaseStream.Position;
                    for (var i = 0; {|#4:i < count|}; i++)
                    {
                        values.Add(reader.ReadInt32());
                        reader.BaseStream.Position = start;
                    }

                    return values;
                }

                List<byte[]> ShortReads(BinaryReader reader)
                {
                    var blocks = new List<byte[]>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#5:i < count|}; i++) blocks.Add(reader.ReadBytes(16));
                    return blocks;
                }

                List<int> SkipsFirst(BinaryReader reader)
                {
                    var values = new List<int>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#6:i < count|}; i++)
                    {
                        if (i == 0) continue;
                        values.Add(reader.ReadInt32());
                    }

                    return values;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 10)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("count", "BinaryReader.ReadInt32 (line 25)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(2).WithArguments("count", "BinaryReader.ReadInt32 (line 37)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(3).WithArguments("count", "BinaryReader.ReadInt32 (line 45)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(4).WithArguments("count", "BinaryReader.ReadInt32 (line 64)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(5).WithArguments("count", "BinaryReader.ReadInt32 (line 78)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(6).WithArguments("count", "BinaryReader.ReadInt32 (line 86)"));
    }

    [Fact]
    public async Task HelperPerEntry_ThatReadsOnEveryPath_IsQuiet()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            record Entry(int Id, string Name);

            static class Catalog
            {
                static Entry ReadEntry(BinaryReader r) => new Entry(r.ReadInt32(), r.ReadString());

                static Entry ReadChecked(BinaryReader r)
                {
                    var id = r.ReadInt32();
                    if (id < 0)
                    {
                        throw new InvalidDataException();
                    }

                    return new Entry(id, r.ReadString());
                }

                static List<Entry> Read(BinaryReader reader)
                {
                    var entries = new List<Entry>();
                    var count = reader.ReadInt32();
                    for (var i = 0; i < count; i++)
                    {
                        entries.Add(ReadEntry(reader));
                    }

                    var more = reader.ReadInt32();
                    for (var i = 0; i < more; i++)
                    {
                        entries.Add(ReadChecked(reader));
                    }

                    return entries;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task HelperPerEntry_ThatMayNotRead_IsFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            record Entry(int Id, string Name);

            static class Catalog
            {
                static Entry ReadEntry(BinaryReader r, bool empty)
                {
                    if (empty)
                    {
                        return new Entry(0, string.Empty);
                    }

                    return new Entry(r.ReadInt32(), r.ReadString());
                }

                static Entry Default(BinaryReader r) => new Entry(0, "none");

                static List<Entry> Read(BinaryReader reader, bool empty)
                {
                    var entries = new List<Entry>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#0:i < count|}; i++)
                    {
                        entries.Add(ReadEntry(reader, empty));
                    }

                    var more = reader.ReadInt32();
                    for (var i = 0; {|#1:i < more|}; i++)
                    {
                        entries.Add(Default(reader));
                    }

                    return entries;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 23)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("more", "BinaryReader.ReadInt32 (line 29)"));
    }

    private const string SymbolReader = """
        using System.Collections.Generic;
        using System.IO;

        class SymbolReader : BinaryReader
        {
            public SymbolReader(Stream input) : base(input) { }

            public int ReadLeb128() => Read7BitEncodedInt();

            public string ReadString(int offset)
            {
                var old = BaseStream.Position;
                BaseStream.Position = offset;
                var text = ReadString();
                BaseStream.Position = old;
                return text;
            }
        }

        """;

    [Fact]
    public async Task OwnReaderSubclass_ReadThatConsumes_IsQuiet()
    {
        const string source = SymbolReader + """
            static class Scopes
            {
                static List<int> Read(SymbolReader reader)
                {
                    var scopes = new List<int>();
                    var count = reader.ReadLeb128();
                    for (var i = 0; i < count; i++) scopes.Add(reader.ReadLeb128());
                    return scopes;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task OwnReaderSubclass_ReadThatRestoresThePosition_IsFlagged()
    {
        const string source = SymbolReader + """
            static class Scopes
            {
                static List<string> Read(SymbolReader reader, int offset)
                {
                    var names = new List<string>();
                    var count = reader.ReadInt32();
                    for (var i = 0; {|#0:i < count|}; i++) names.Add(reader.ReadString(offset));
                    return names;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadInt32 (line 24)"));
    }

    private const string ByteBuffer = """
        using System;
        using System.Collections.Generic;

        class ByteBuffer
        {
            protected byte[] buffer;
            protected int position;

            public ByteBuffer(byte[] buffer) { this.buffer = buffer; }

            public byte ReadByte() => buffer[position++];

            public ushort ReadUInt16()
            {
                ushort value = (ushort)(buffer[position] | (buffer[position + 1] << 8));
                position += 2;
                return value;
            }

            public uint ReadUInt32()
            {
                uint value = (uint)(buffer[position] | (buffer[position + 1] << 8) | (buffer[position + 2] << 16) | (buffer[position + 3] << 24));
                position += 4;
                return value;
            }

            public uint ReadCompressedUInt32()
            {
                byte first = ReadByte();
                if ((first & 0x80) == 0) return first;
                if ((first & 0x40) == 0) return ((uint)(first & ~0x80) << 8) | ReadByte();
                return ((uint)(first & ~0xc0) << 24) | (uint)ReadByte() << 16 | (uint)ReadByte() << 8 | ReadByte();
            }
        }

        """;

    [Fact]
    public async Task ByteBufferLoops_ThatReadEveryPass_AreQuiet()
    {
        const string source = ByteBuffer + """
            class SignatureReader : ByteBuffer
            {
                public SignatureReader(byte[] blob) : base(blob) { }

                List<uint> Types()
                {
                    var types = new List<uint>();
                    var count = ReadCompressedUInt32();
                    for (var i = 0; i < count; i++)
                    {
                        types.Add(ReadTypeToken());
                    }

                    return types;
                }

                uint ReadTypeToken() => ReadCompressedUInt32();
            }

            static class Tables
            {
                static List<ushort> Indexes(byte[] data)
                {
                    var reader = new ByteBuffer(data);
                    var indexes = new List<ushort>();
                    var count = (int)reader.ReadUInt32();
                    for (var i = 0; i < count; i++) indexes.Add(reader.ReadUInt16());
                    return indexes;
                }
            }
            """;

        await RunWithReaderSources(source);
    }

    [Fact]
    public async Task ByteBufferLoops_ThatMayNotRead_AreFlagged()
    {
        const string source = ByteBuffer + """
            class SignatureReader : ByteBuffer
            {
                public SignatureReader(byte[] blob) : base(blob) { }

                List<object> Placeholders()
                {
                    var types = new List<object>();
                    var count = ReadCompressedUInt32();
                    for (var i = 0; {|#0:i < count|}; i++)
                    {
                        types.Add(new object());
                    }

                    return types;
                }

                List<uint> Rewinding()
                {
                    var types = new List<uint>();
                    var count = ReadCompressedUInt32();
                    var start = position;
                    for (var i = 0; {|#1:i < count|}; i++)
                    {
                        types.Add(ReadCompressedUInt32());
                        position = start;
                    }

                    return types;
                }
            }

            static class Tables
            {
                static List<ushort> Indexes(byte[] data, byte[] other)
                {
                    var reader = new ByteBuffer(data);
                    var second = new ByteBuffer(other);
                    var indexes = new List<ushort>();
                    var count = (int)reader.ReadUInt32();
                    for (var i = 0; {|#2:i < count|}; i++) indexes.Add(second.ReadUInt16());
                    return indexes;
                }
            }
            """;

        await RunWithReaderSources(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "ByteBuffer.ReadCompressedUInt32 (line 42)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("count", "ByteBuffer.ReadCompressedUInt32 (line 54)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(2).WithArguments("count", "ByteBuffer.ReadUInt32 (line 73)"));
    }

    /// <summary>The reader's methods declared untrusted sources in configuration, as a project with its own reader would.</summary>
    private static async Task RunWithReaderSources(string source, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.untrusted_sources = M:ByteBuffer.ReadUInt32,M:ByteBuffer.ReadCompressedUInt32\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task LoopToALengthPastWhereItStarted_CountsTheLength()
    {
        // A record of a packet: a 16-bit data length, then values up to that many bytes past where the data starts.
        // The loop runs at most that length times, whatever the position is; a 32-bit length stays a count to cap when
        // the passes read from another reader (reading from this one, each pass would consume a byte of the record).
        const string source = """
            using System.Collections.Generic;

            sealed class PacketReader
            {
                private readonly byte[] data;

                public PacketReader(byte[] data) => this.data = data;

                public int Position { get; set; }

                public byte ReadByte() => data[Position++];

                public ushort ReadUShort() => (ushort)(ReadByte() << 8 | ReadByte());

                public int ReadInt() => ReadUShort() << 16 | ReadUShort();
            }

            sealed class TextRecord
            {
                public readonly List<byte[]> Values = new List<byte[]>();

                public TextRecord(PacketReader reader)
                {
                    ushort length = reader.ReadUShort();
                    int start = reader.Position;
                    while (reader.Position < start + length)
                    {
                        Values.Add(new byte[reader.ReadByte()]);
                    }
                }

                public TextRecord(PacketReader reader, PacketReader sizes)
                {
                    int length = reader.ReadInt();
                    int start = reader.Position;
                    while ({|#0:reader.Position < start + length|})
                    {
                        Values.Add(new byte[sizes.ReadByte()]);
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("start + length", "PacketReader.ReadInt (line 34)"));
    }

    [Fact]
    public async Task CountCopiedToAnIntBeforeTheLoop_ReadsEveryPass_IsQuiet_ShortReadsAreFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class Variations
            {
                List<uint> Offsets(BinaryReader reader)
                {
                    var offsets = new List<uint>();
                    uint recordCount = reader.ReadUInt32();
                    int count = (int)recordCount;
                    for (int i = 0; i < count; i++) offsets.Add(reader.ReadUInt32());
                    return offsets;
                }

                List<byte[]> Blocks(BinaryReader reader)
                {
                    var blocks = new List<byte[]>();
                    uint recordCount = reader.ReadUInt32();
                    int count = (int)recordCount;
                    for (int i = 0; {|#0:i < count|}; i++) blocks.Add(reader.ReadBytes(8));
                    return blocks;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadUInt32 (line 18)"));
    }

    [Fact]
    public async Task CountReadWideOrNarrowFromTheReader_ReadsEveryPass_IsQuiet_FromAnotherReaderIsFlagged()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class CompactIndex
            {
                List<int> Offsets(BinaryReader reader, bool wide)
                {
                    var offsets = new List<int>();
                    uint count = wide ? reader.ReadUInt32() : reader.ReadUInt16();
                    for (int i = 0; i <= count; ++i) offsets.Add(reader.ReadInt32());
                    return offsets;
                }

                List<int> FromHeader(BinaryReader reader, BinaryReader header, bool wide)
                {
                    var offsets = new List<int>();
                    uint count = wide ? header.ReadUInt32() : reader.ReadUInt16();
                    for (int i = 0; {|#0:i <= count|}; ++i) offsets.Add(reader.ReadInt32());
                    return offsets;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "BinaryReader.ReadUInt32 (line 17)"));
    }

    [Fact]
    public async Task ChunkSkippedInPiecesThatStopAtTheEnd_IsQuiet_PiecesThatMayReadNothingAreFlagged()
    {
        // RIFF and MIDI readers skip a chunk they do not parse on a stream that cannot seek, a piece at a time, and stop
        // when a read returns nothing: each pass that goes on read at least a byte of the input, so a lying size runs
        // out of input. A loop that ignores the count, or tests it only for a negative, goes on at the end.
        const string source = """
            using System;
            using System.IO;

            static class Chunks
            {
                static void Skip(BinaryReader br)
                {
                    uint size = br.ReadUInt32();
                    long toSkip = size + (size & 1);
                    while (toSkip > 0)
                    {
                        int chunk = (int)Math.Min(toSkip, 8192);
                        if (br.Read(new byte[chunk], 0, chunk) <= 0)
                        {
                            throw new InvalidDataException("chunk ends early");
                        }

                        toSkip -= chunk;
                    }
                }

                static void SkipKept(BinaryReader br)
                {
                    long toSkip = br.ReadUInt32();
                    while (toSkip > 0)
                    {
                        var piece = new byte[(int)Math.Min(toSkip, 8192)];
                        int read = br.Read(piece, 0, piece.Length);
                        if (read == 0) break;
                        toSkip -= read;
                    }
                }

                static void Ignored(BinaryReader br)
                {
                    uint size = br.ReadUInt32();
                    long toSkip = size + (size & 1);
                    while ({|#0:toSkip > 0|})
                    {
                        int chunk = (int)Math.Min(toSkip, 8192);
                        br.Read(new byte[chunk], 0, chunk);
                        toSkip -= chunk;
                    }
                }

                static void NegativeOnly(BinaryReader br)
                {
                    long toSkip = br.ReadUInt32();
                    while ({|#1:toSkip > 0|})
                    {
                        var piece = new byte[(int)Math.Min(toSkip, 8192)];
                        int read = br.Read(piece, 0, piece.Length);
                        if (read < 0) break;
                        toSkip -= piece.Length;
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("toSkip", "BinaryReader.ReadUInt32 (line 36)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("toSkip", "BinaryReader.ReadUInt32 (line 48)"));
    }

    [Fact]
    public async Task SecondArrayAndLoopAfterAReadOfEveryRecord_AreQuiet_BeforeTheReadOrAfterABreakAreFlagged()
    {
        // Font tables read every record's offset first, then make the records and seek to each: once a loop has read
        // an element of the input for every value of the count, the input held that many, and a second array or loop
        // of that count costs what the input did. The array made before the read, a loop that may stop early, and a
        // count from another reader are still the content's choice.
        const string source = """
            using System.IO;

            sealed record Clip(ushort Start, uint Offset);

            static class ClipList
            {
                static Clip[] Read(BinaryReader reader)
                {
                    uint count = reader.ReadUInt32();
                    uint[] offsets = new uint[{|#0:count|}];
                    for (int i = 0; i < count; i++)
                    {
                        offsets[i] = reader.ReadUInt32();
                    }

                    Clip[] clips = new Clip[count];
                    for (int i = 0; i < count; i++)
                    {
                        reader.BaseStream.Seek(offsets[i], SeekOrigin.Begin);
                        clips[i] = new Clip(reader.ReadUInt16(), offsets[i]);
                    }

                    return clips;
                }

                static Clip[] MayStop(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    var starts = new System.Collections.Generic.List<ushort>();
                    for (int i = 0; i < count; i++)
                    {
                        ushort start = reader.ReadUInt16();
                        if (start == 0) break;
                        starts.Add(start);
                    }

                    var extra = new System.Collections.Generic.List<Clip>();
                    for (int i = 0; {|#2:i < count|}; i++)
                    {
                        extra.Add(new Clip(0, 0));
                    }

                    return new Clip[{|#1:count|}];
                }

                static Clip[] OtherReader(BinaryReader reader, BinaryReader header)
                {
                    int count = header.ReadInt32();
                    var starts = new System.Collections.Generic.List<ushort>();
                    for (int i = 0; {|#4:i < count|}; i++)
                    {
                        starts.Add(reader.ReadUInt16());
                    }

                    return new Clip[{|#3:count|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "BinaryReader.ReadUInt32 (line 9)", "new uint[count]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("count", "BinaryReader.ReadInt32 (line 28)", "new Clip[count]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(2).WithArguments("count", "BinaryReader.ReadInt32 (line 28)"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(4).WithArguments("count", "BinaryReader.ReadInt32 (line 48)"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(3).WithArguments("count", "BinaryReader.ReadInt32 (line 48)", "new Clip[count]"));
    }

    [Fact]
    public async Task CountReadByAHelperHandedTheReader_ReadsEveryPass_IsQuiet_APassThatMayNotReadOrAnotherReaderIsFlagged()
    {
        // A binary glTF container: a static helper reads the header and returns the body's length, and the chunk loop
        // reads each chunk's length and type from the same reader (through an extension that stops at the end, then a
        // read that throws there). A pass that reads nothing, or reads another reader, is not bounded by this input.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            static class GlbReader
            {
                internal static bool TryReadUInt32(this BinaryReader reader, out uint result)
                {
                    try
                    {
                        result = reader.ReadUInt32();
                        return true;
                    }
                    catch (EndOfStreamException)
                    {
                        result = 0;
                        return false;
                    }
                }

                private static long ReadHeader(BinaryReader reader)
                {
                    if (reader.ReadUInt32() != 0x46546C67)
                    {
                        throw new InvalidDataException("Not a binary glTF.");
                    }

                    return reader.ReadUInt32();
                }

                public static List<uint> ReadChunks(BinaryReader reader)
                {
                    var remaining = ReadHeader(reader);
                    var chunks = new List<uint>();
                    while (remaining >= 8)
                    {
                        remaining -= 8;
                        if (!reader.TryReadUInt32(out var chunkLength))
                        {
                            break;
                        }

                        chunks.Add(reader.ReadUInt32());
                    }

                    return chunks;
                }

                public static List<long> CountDown(BinaryReader reader)
                {
                    var remaining = ReadHeader(reader);
                    var chunks = new List<long>();
                    while ({|#0:remaining >= 8|})
                    {
                        remaining -= 8;
                        chunks.Add(remaining);
                    }

                    return chunks;
                }

                public static List<uint> FromAnother(BinaryReader reader, BinaryReader other)
                {
                    var remaining = ReadHeader(reader);
                    var chunks = new List<uint>();
                    while ({|#1:remaining >= 8|})
                    {
                        remaining -= 8;
                        chunks.Add(other.ReadUInt32());
                    }

                    return chunks;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("remaining", "ReadHeader (BinaryReader.ReadUInt32 (line 27))"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("remaining", "ReadHeader (BinaryReader.ReadUInt32 (line 27))"));
    }

    [Fact]
    public async Task ReadExactlyOfASizeThatMayBeZero_DoesNotBoundTheLoop_OfAConstantSizeDoes()
    {
        // Records of a size the header gives, read with ReadExactly: a size of 0 reads nothing, so eight bytes of
        // input can ask for two billion passes. Four bytes a pass, or a four-byte buffer, always take input.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            static class Records
            {
                static int ReadCount(Stream stream) => new BinaryReader(stream).ReadInt32();

                public static List<byte[]> Sized(Stream stream)
                {
                    var list = new List<byte[]>();
                    int count = ReadCount(stream);
                    int size = ReadCount(stream);
                    if (size < 0 || size > 4096)
                        throw new InvalidDataException();
                    for (int i = 0; {|#0:i < count|}; i++)
                    {
                        var record = new byte[size];
                        stream.ReadExactly(record, 0, size);
                        list.Add(record);
                    }

                    return list;
                }

                public static List<byte[]> Fixed(Stream stream)
                {
                    var list = new List<byte[]>();
                    int count = ReadCount(stream);
                    for (int i = 0; i < count; i++)
                    {
                        var record = new byte[4];
                        stream.ReadExactly(record, 0, 4);
                        list.Add(record);
                    }

                    return list;
                }

                public static List<byte[]> Whole(Stream stream)
                {
                    var list = new List<byte[]>();
                    int count = ReadCount(stream);
                    for (int i = 0; i < count; i++)
                    {
                        var record = new byte[4];
                        stream.ReadExactly(record);
                        list.Add(record);
                    }

                    return list;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "ReadCount (BinaryReader.ReadInt32 (line 6))"));
    }
}
