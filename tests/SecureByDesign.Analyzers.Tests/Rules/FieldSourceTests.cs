using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// Sources kept in fields: the bytes a reader type was given, read by its private helpers (bit readers, varint readers),
/// and a value the constructor stores unchecked (a header count), read in another method. Observed through SBD2001
/// (index), SBD2003 (allocation) and SBD2007 (loop), each with a quiet twin.
/// </summary>
public class FieldSourceTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, $"with no check against '{access.Substring(0, access.IndexOf('[', StringComparison.Ordinal))}.Length'");

    [Fact]
    public async Task BitReader_HelperShiftingTheFieldBuffer_IsASource()
    {
        const string source = """
            class BitReader
            {
                const int MaxSymbols = 4096;

                private readonly byte[] data;
                private int bitPosition;

                public BitReader(byte[] data) { this.data = data; }

                private int NextBits(int count)
                {
                    var value = 0;
                    for (var i = 0; i < count; i++)
                    {
                        value = (value << 1) | ((data[bitPosition >> 3] >> (7 - (bitPosition & 7))) & 1);
                        bitPosition++;
                    }

                    return value;
                }

                public int[] DecodeTable() => new int[{|#0:NextBits(16)|}];

                public int[] DecodeChecked()
                {
                    var size = NextBits(16);
                    if (size < 0 || size > MaxSymbols) throw new System.IO.InvalidDataException();
                    return new int[size];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("NextBits(16)", "NextBits (field 'data', the bytes BitReader reads)", "new int[NextBits(16)]"));
    }

    [Fact]
    public async Task VarIntReader_HelperOverTheFieldBuffer_IsASource()
    {
        const string source = """
            class VarIntReader
            {
                private readonly byte[] buffer;
                private int position;

                public VarIntReader(byte[] buffer) => this.buffer = buffer;

                private uint NextVarUInt()
                {
                    uint result = 0;
                    int shift = 0;
                    byte b;
                    do
                    {
                        b = buffer[position++];
                        result |= (uint)(b & 0x7F) << shift;
                        shift += 7;
                    }
                    while ((b & 0x80) != 0 && shift < 35);
                    return result;
                }

                private int U16(int at) => buffer[at] | (buffer[at + 1] << 8);

                public string Name(string[] names) => {|#0:names[NextVarUInt()]|};

                public string Kind(string[] kinds, int at) => {|#1:kinds[U16(at)]|};

                public string NameChecked(string[] names)
                {
                    var index = NextVarUInt();
                    return index < names.Length ? names[index] : "";
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "NextVarUInt()", "NextVarUInt (field 'buffer', the bytes VarIntReader reads)", "names[NextVarUInt()]"),
            Index(1, "U16(at)", "U16 (field 'buffer', the bytes VarIntReader reads)", "kinds[U16(at)]"));
    }

    [Fact]
    public async Task HeaderCountStoredByConstructor_IsASourceInOtherMethods()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            class TableHeader
            {
                private readonly int count;
                private readonly byte kind;

                public TableHeader(BinaryReader reader)
                {
                    count = reader.ReadInt32();
                    kind = reader.ReadByte();
                }

                public string[] Names() => new string[{|#0:count|}];

                public void Fill(List<int> rows)
                {
                    for (var i = 0; {|#1:i < count|}; i++) rows.Add(i);
                }

                public int Kind(int[] table) => {|#2:table[kind]|};
            }

            class SectionHeader
            {
                private int entries;

                public SectionHeader(Stream stream) => ReadHeader(new BinaryReader(stream));

                private void ReadHeader(BinaryReader reader) => entries = reader.ReadInt32();

                public long[] Offsets() => new long[{|#3:entries|}];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("count", "field 'count' (set from BinaryReader.ReadInt32 (line 11) in the constructor)", "new string[count]"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(1).WithArguments("count", "field 'count' (set from BinaryReader.ReadInt32 (line 11) in the constructor)"),
            Index(2, "kind", "field 'kind' (set from BinaryReader.ReadByte (line 12) in the constructor)", "table[kind]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(3).WithArguments("entries", "field 'entries' (set from BinaryReader.ReadInt32 (line 31) in ReadHeader, called from the constructor)", "new long[entries]"));
    }

    [Fact]
    public async Task StoredFields_CheckedConstantReassignedClampedOrTrusted_AreQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            class CheckedHeader
            {
                const int MaxRows = 1 << 16;
                private readonly int count;

                public CheckedHeader(BinaryReader reader)
                {
                    var n = reader.ReadInt32();
                    if (n < 0 || n > MaxRows) throw new InvalidDataException();
                    count = n;
                }

                public string[] Names() => new string[count];

                public void Fill(List<int> rows)
                {
                    for (var i = 0; i < count; i++) rows.Add(i);
                }
            }

            class ConstantHeader
            {
                private readonly int version;
                private readonly int count;

                public ConstantHeader(BinaryReader reader)
                {
                    version = reader.ReadInt32();
                    count = 16;
                }

                public string[] Names() => new string[count];
            }

            class ResettableHeader
            {
                const int MaxRows = 1 << 16;
                private int count;
                private int rows;

                public ResettableHeader(BinaryReader reader)
                {
                    count = reader.ReadInt32();
                    rows = reader.ReadInt32();
                    if (rows < 0 || rows > MaxRows) rows = 0;
                }

                public void Reset() => count = 0;

                public string[] Names() => new string[count];

                public string[] Rows() => new string[rows];
            }

            class ClampedHeader
            {
                const int MaxRows = 1 << 16;
                private readonly int count;

                public ClampedHeader(BinaryReader reader) => count = Math.Clamp(reader.ReadInt32(), 0, MaxRows);

                public string[] Names() => new string[count];

                public void Fill(List<int> rows)
                {
                    for (var i = 0; i < count; i++) rows.Add(i);
                }
            }

            class TrustedHeader
            {
                private readonly int count;

                public TrustedHeader(int count) { this.count = count; }

                public string[] Names() => new string[count];
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task BuffersTheTypeWritesItself_AreNotContent()
    {
        const string source = """
            using System;

            class PacketWriter
            {
                private readonly byte[] buffer;
                private int length;

                public PacketWriter(byte[] buffer) => this.buffer = buffer;

                public void Put(byte value) => buffer[length++] = value;

                private int Last() => buffer[length - 1];

                public int Lookup(int[] table) => table[Last()];
            }

            class FrameBuilder
            {
                private readonly byte[] frame;

                public FrameBuilder(byte[] frame) => this.frame = frame;

                public void Append(byte[] source, int at) => Buffer.BlockCopy(source, 0, frame, at, source.Length);

                private int Tag() => frame[0];

                public string Name(string[] names) => names[Tag()];
            }

            class GrowingBuffer
            {
                private byte[] buffer;
                private int position;

                public GrowingBuffer(byte[] buffer) { this.buffer = buffer; }

                private int Peek() => buffer[position];

                public int Kind(int[] kinds) => kinds[Peek()];

                public void Reserve(int desired)
                {
                    var current = buffer;
                    var next = new byte[Math.Max(current.Length + desired, current.Length * 2)];
                    Buffer.BlockCopy(current, 0, next, 0, current.Length);
                    buffer = next;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task DerivedTypeReadingTheBaseReadersBytes_IsFlagged()
    {
        const string source = """
            abstract class Section
            {
                protected readonly byte[] data;

                protected Section(byte[] data) { this.data = data; }
            }

            sealed class StringSection : Section
            {
                public StringSection(byte[] data) : base(data) { }

                public string At(string[] names, int index) => {|#0:names[data[index]]|};

                public string Checked(string[] names, int index)
                {
                    var slot = data[index];
                    return slot < names.Length ? names[slot] : "";
                }

                public byte[] Blob(int position)
                {
                    var length = data[position] | (data[position + 1] << 8) | (data[position + 2] << 16) | (data[position + 3] << 24);
                    return new byte[{|#1:length|}];
                }

                public byte[] BlobWithinData(int position)
                {
                    var length = data[position] | (data[position + 1] << 8) | (data[position + 2] << 16) | (data[position + 3] << 24);
                    if (length > data.Length - 4) return new byte[0];
                    return new byte[length];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "data[index]", "field 'data', the bytes Section reads", "names[data[index]]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("length", "field 'data', the bytes Section reads", "new byte[length]"));
    }

    [Fact]
    public async Task ValidatedBytesConstantBuffersAndTypesBuiltFromTrustedValues_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            class ChunkTag
            {
                private readonly byte[] bytes;

                public ChunkTag(byte[] bytes)
                {
                    Validate(bytes);
                    this.bytes = bytes;
                }

                private static void Validate(byte[] bytes)
                {
                    if (bytes.Length != 4) throw new ArgumentException("four bytes");
                }

                public bool IsCritical => (bytes[0] & 0x20) == 0;

                public int Code() => bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3];
            }

            class RecordStream
            {
                private readonly Stream stream;
                private readonly byte[] scratch = new byte[16];

                public RecordStream(Stream stream) => this.stream = stream;

                public bool NextFlag()
                {
                    if (stream.Read(scratch, 0, 1) == 0) return false;
                    return (scratch[0] & 0x80) != 0;
                }
            }

            class SourceEntry
            {
                private readonly string path;

                public SourceEntry(string path) { this.path = path; }

                public SourceEntry(BinaryReader reader) { path = reader.ReadString(); }

                public long Size() => new FileInfo(path).Length;
            }

            class WordSet
            {
                private readonly int size;
                private readonly uint[] words;

                public WordSet(BinaryReader reader)
                {
                    size = reader.ReadInt32();
                    words = new uint[{|#0:size|}];
                }

                public bool IsSet(int index)
                {
                    var word = index / 32;
                    if (word < 0 || word >= size) return false;
                    return (words[word] & (1u << (index % 32))) != 0;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("size", "BinaryReader.ReadInt32 (line 56)", "new uint[size]"));
    }
}
