using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// The compilation's own reader types: a type whose constructor takes the bytes it reads (a stream, a span, memory or a
/// sequence of bytes) and keeps them; its <c>Read*</c>/<c>TryRead*</c>/<c>Peek*</c> results and out values are sources.
/// Observed through SBD2001 (index), SBD2003 (allocation) and SBD2007 (loop).
/// </summary>
public class ReaderTypeTests
{
    private const string SpanReader = """
        ref struct SpanReader
        {
            private readonly ReadOnlySpan<byte> data;
            private int position;

            public SpanReader(ReadOnlySpan<byte> data) { this.data = data; position = 0; }

            public ushort ReadUInt16() { var value = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(position)); position += 2; return value; }
            public int ReadInt32() { var value = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(position)); position += 4; return value; }
            public bool TryReadUInt32(out uint value)
            {
                if (!BinaryPrimitives.TryReadUInt32LittleEndian(data.Slice(position), out value)) return false;
                position += 4;
                return true;
            }
        }
        """;

    private static DiagnosticResult Index(int location, string index, string origin, string access) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, $"with no check against '{access.Substring(0, access.IndexOf('[', StringComparison.Ordinal))}.Length'");

    private static DiagnosticResult Size(int location, string size, string origin, string allocation) =>
        VerifyCS.Diagnostic("SBD2003").WithLocation(location).WithArguments(size, origin, allocation);

    [Fact]
    public async Task SpanReader_ReadsReachingIndexAndAllocation_AreFlagged()
    {
        var source = """
            using System;
            using System.Buffers.Binary;

            class Parser
            {
                int Parse(ReadOnlySpan<byte> bytes, int[] table)
                {
                    var reader = new SpanReader(bytes);
                    var kind = reader.ReadUInt16();
                    var names = new string[{|#0:reader.ReadInt32()|}];
                    reader.TryReadUInt32(out var slot);
                    return {|#1:table[kind]|} + {|#2:table[slot]|};
                }
            }

            """ + SpanReader;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "reader.ReadInt32()", "SpanReader.ReadInt32 (line 10)", "new string[reader.ReadInt32()]"),
            Index(1, "kind", "SpanReader.ReadUInt16 (line 9)", "table[kind]"),
            Index(2, "slot", "SpanReader.TryReadUInt32 (line 11)", "table[slot]"));
    }

    [Fact]
    public async Task SpanReader_ReadsChecked_AreQuiet()
    {
        var source = """
            using System;
            using System.Buffers.Binary;

            class Parser
            {
                const int MaxNames = 1024;

                int Parse(ReadOnlySpan<byte> bytes, int[] table)
                {
                    var reader = new SpanReader(bytes);
                    var kind = reader.ReadUInt16();
                    var count = reader.ReadInt32();
                    if (count < 0 || count > MaxNames) throw new FormatException();
                    var names = new string[count];
                    if (!reader.TryReadUInt32(out var slot) || slot >= (uint)table.Length) return -1;
                    return kind < table.Length ? table[kind] + table[slot] : -1;
                }
            }

            """ + SpanReader;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task StreamReaderClass_VarIntReachingAllocation_IsFlagged_AndCheckedIsQuiet()
    {
        const string source = """
            using System.IO;

            class PacketReader
            {
                private readonly Stream stream;

                public PacketReader(Stream stream) => this.stream = stream;

                public int ReadVarInt()
                {
                    int value = 0, shift = 0, b;
                    do { b = stream.ReadByte(); value |= (b & 0x7F) << shift; shift += 7; } while ((b & 0x80) != 0 && shift < 35);
                    return value;
                }
            }

            class Handler
            {
                const int MaxPacket = 1 << 20;

                byte[] Unchecked(Stream input) => new byte[{|#0:new PacketReader(input).ReadVarInt()|}];

                byte[] Checked(Stream input)
                {
                    var length = new PacketReader(input).ReadVarInt();
                    if (length < 0 || length > MaxPacket) throw new InvalidDataException();
                    return new byte[length];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "new PacketReader(input).ReadVarInt()", "PacketReader.ReadVarInt (line 21)", "new byte[new PacketReader(input).ReadVarInt()]"));
    }

    [Fact]
    public async Task SequenceReaderStruct_TryReadLengthOut_IsFlagged_AndCheckedIsQuiet()
    {
        const string source = """
            using System.Buffers;
            using System.Collections.Generic;

            struct FrameReader
            {
                private readonly ReadOnlySequence<byte> buffer;
                private long consumed;

                public FrameReader(ReadOnlySequence<byte> buffer) { this.buffer = buffer; consumed = 0; }

                public bool TryReadLength(out int length)
                {
                    var reader = new SequenceReader<byte>(buffer.Slice(consumed));
                    if (!reader.TryReadBigEndian(out length)) return false;
                    consumed += 4;
                    return true;
                }
            }

            class Frames
            {
                const int MaxFrames = 256;

                void Read(ReadOnlySequence<byte> buffer, List<string> names)
                {
                    var frames = new FrameReader(buffer);
                    if (frames.TryReadLength(out var count))
                    {
                        for (var i = 0; {|#0:i < count|}; i++) names.Add("frame");
                    }

                    if (frames.TryReadLength(out var bounded) && bounded <= MaxFrames)
                    {
                        for (var i = 0; i < bounded; i++) names.Add("frame");
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("count", "FrameReader.TryReadLength (line 27)"));
    }

    [Fact]
    public async Task ReaderMethodCalledInsideTheReader_IsASource()
    {
        const string source = """
            using System;
            using System.Buffers.Binary;

            ref struct TableReader
            {
                private readonly ReadOnlySpan<byte> data;
                private int position;

                public TableReader(ReadOnlySpan<byte> data) { this.data = data; position = 0; }

                public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(position));

                public int[] ReadTable() => new int[{|#0:this.ReadInt32()|}];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "this.ReadInt32()", "TableReader.ReadInt32 (line 13)", "new int[this.ReadInt32()]"));
    }

    [Fact]
    public async Task StreamTypeWhoseReadsReturnBoolOrNothing_IsQuiet()
    {
        const string source = """
            using System.IO;

            class Framing
            {
                private readonly Stream stream;
                private int pending;

                public Framing(Stream stream) => this.stream = stream;

                public bool ReadHeader() { pending = 4; return stream.CanRead; }
                public void ReadToEnd() => pending = 0;
                public int Pending => pending;
            }

            class User
            {
                int[] Use(Stream input)
                {
                    var framing = new Framing(input);
                    var items = new int[framing.ReadHeader() ? 16 : 0];
                    framing.ReadToEnd();
                    return new int[framing.Pending];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ReadMethodsWithoutAWrappingConstructor_AreQuiet()
    {
        const string source = """
            using System.Collections.Generic;

            class ConfigReader
            {
                private readonly Dictionary<string, int> values;

                public ConfigReader(Dictionary<string, int> values) => this.values = values;

                public int ReadInt32(string key) => values[key];
                public string ReadString(string key) => key;
            }

            class WithoutField
            {
                private readonly int length;

                public WithoutField(byte[] header) => length = header.Length;

                public int ReadLength() => length;
            }

            class User
            {
                int[] Use(ConfigReader config, byte[] header, int[] table) =>
                    new int[config.ReadInt32("size") + new WithoutField(header).ReadLength() + table[config.ReadInt32("slot")]];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ContentValidatorReadMethod_IsQuiet()
    {
        const string source = """
            using System;
            using System.Buffers.Binary;

            [AttributeUsage(AttributeTargets.Method)]
            sealed class ContentValidatorAttribute : Attribute { }

            ref struct RecordReader
            {
                const int MaxRecords = 1024;
                private readonly ReadOnlySpan<byte> data;

                public RecordReader(ReadOnlySpan<byte> data) => this.data = data;

                [ContentValidator]
                public int ReadCheckedCount()
                {
                    var count = BinaryPrimitives.ReadInt32LittleEndian(data);
                    if (count < 0 || count > MaxRecords) throw new FormatException();
                    return count;
                }
            }

            class User
            {
                int[] Use(ReadOnlySpan<byte> input) => new int[new RecordReader(input).ReadCheckedCount()];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task PrimaryConstructorReader_KeepingTheBytes_IsFlagged()
    {
        const string source = """
            using System;
            using System.Buffers.Binary;

            class ChunkReader(byte[] data)
            {
                private int position;

                public uint ReadUInt32() { var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position)); position += 4; return value; }
            }

            class User
            {
                long[] Use(byte[] input) => new long[{|#0:new ChunkReader(input).ReadUInt32()|}];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "new ChunkReader(input).ReadUInt32()", "ChunkReader.ReadUInt32 (line 13)", "new long[new ChunkReader(input).ReadUInt32()]"));
    }

    [Fact]
    public async Task PrimaryConstructorStreamNotKept_IsQuiet()
    {
        const string source = """
            using System.IO;

            enum Level { Low, High }

            class Settings(Stream log)
            {
                private int size = 16;

                public Level ReadLevel() => Level.High;
                public int ReadSize() => size;
            }

            class User
            {
                int[] Use(Stream input, int[] table)
                {
                    var settings = new Settings(input);
                    return new int[settings.ReadSize() + table[(int)settings.ReadLevel()]];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ParamsBytesOfTheCallSites_AreNotContent_AnArrayParameterIsFlagged()
    {
        // PE metadata readers describe each coded index by the table ids its tag bits select, written out as a params
        // list at each construction: the program's own table, not bytes read. The same type taking a plain array is a
        // reader of what it is handed.
        const string source = """
            class CodedIndex
            {
                private readonly byte[] tokens;
                private readonly uint[] rowCounts;

                public CodedIndex(uint[] rowCounts, params byte[] tokens)
                {
                    this.rowCounts = rowCounts;
                    this.tokens = tokens;
                }

                public uint ReadMaxRows()
                {
                    uint most = 0;
                    for (var i = 0; i < tokens.Length; i++)
                    {
                        most = System.Math.Max(most, rowCounts[tokens[i]]);
                    }

                    return most;
                }
            }

            class RecordIndex
            {
                private readonly byte[] tokens;
                private readonly uint[] rowCounts;

                public RecordIndex(uint[] rowCounts, byte[] tokens)
                {
                    this.rowCounts = rowCounts;
                    this.tokens = tokens;
                }

                public uint ReadMaxRows()
                {
                    uint most = 0;
                    for (var i = 0; i < tokens.Length; i++)
                    {
                        most = System.Math.Max(most, {|#0:rowCounts[tokens[i]]|});
                    }

                    return most;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Index(0, "tokens[i]", "field 'tokens', the bytes RecordIndex reads", "rowCounts[tokens[i]]"));
    }
}
