using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD2005 where the buffer is in sight: pointers from <c>fixed</c>, references from <c>MemoryMarshal.GetReference</c>
/// and <c>ref buffer[0]</c>. The offset must be below that buffer's length, with room for the whole value read.
/// </summary>
public class UnsafeOffsetTests
{
    private static DiagnosticResult Offset(int location, string offset, string origin, string use, string why) =>
        VerifyCS.Diagnostic("SBD2005").WithLocation(location).WithArguments(offset, origin, use, why);

    private static Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public async Task PointerIndex_IntoThePinnedBuffer_NeedsItsLength()
    {
        const string source = """
            using System.IO;

            unsafe class TableReader
            {
                byte Unchecked(BinaryReader reader, byte[] table)
                {
                    var slot = reader.ReadInt32();
                    fixed (byte* p = table)
                    {
                        return {|#0:p[slot]|};
                    }
                }

                byte OneShort(BinaryReader reader, byte[] table)
                {
                    var slot = reader.ReadInt32();
                    if (slot < 0 || slot > table.Length) throw new InvalidDataException("slot");
                    fixed (byte* p = table)
                    {
                        return {|#1:p[slot]|};
                    }
                }

                byte OtherBuffer(BinaryReader reader, byte[] header, byte[] body)
                {
                    var slot = reader.ReadInt32();
                    if ((uint)slot >= (uint)header.Length) throw new InvalidDataException("slot");
                    fixed (byte* p = body)
                    {
                        return {|#2:p[slot]|};
                    }
                }

                byte Checked(BinaryReader reader, byte[] table)
                {
                    var slot = reader.ReadInt32();
                    if ((uint)slot >= (uint)table.Length) throw new InvalidDataException("slot");
                    fixed (byte* p = table)
                    {
                        return p[slot];
                    }
                }

                byte CheckedInside(BinaryReader reader, byte[] table)
                {
                    var slot = reader.ReadInt32();
                    fixed (byte* p = &table[0])
                    {
                        return slot >= 0 && slot < table.Length ? p[slot] : (byte)0;
                    }
                }
            }
            """;

        const string origin = "BinaryReader.ReadInt32 (line 7)";
        await Verify(
            source,
            Offset(0, "slot", origin, "p[slot]", "with no check against 'table.Length'"),
            Offset(1, "slot", "BinaryReader.ReadInt32 (line 16)", "p[slot]", "with a check that lets it equal 'table.Length' (one short: use <, not <=)"),
            Offset(2, "slot", "BinaryReader.ReadInt32 (line 26)", "p[slot]", "with a check against 'header.Length', not 'body.Length'"));
    }

    [Fact]
    public async Task DistanceBetweenTwoPointers_MovesNoPointer()
    {
        // A search through a content buffer reports where it stopped as the distance from the start (p - start): a
        // subtraction of two pointers reads nothing, and the end pointer it walks to is compared, not read. Moving the pointer
        // by a position the content gives, or reading or writing at the end, still needs a check.
        const string source = """
            using System.IO;

            unsafe class ByteStream
            {
                private readonly byte[] data;

                public ByteStream(Stream input)
                {
                    data = new byte[input.Length];
                    input.ReadExactly(data);
                }

                public int IndexOf(byte value)
                {
                    fixed (byte* start = data)
                    {
                        byte* end = start + data.Length;
                        for (byte* p = start; p != end; p++)
                        {
                            if (*p == value)
                            {
                                return (int)(p - start);
                            }
                        }
                    }

                    return -1;
                }

                public byte At()
                {
                    fixed (byte* start = data)
                    {
                        int position = data[0];
                        return *({|#0:start + position|});
                    }
                }

                public byte PastTheEnd()
                {
                    fixed (byte* start = data)
                    {
                        return *({|#1:start + data.Length|});
                    }
                }

                public void WriteAtTheEnd()
                {
                    fixed (byte* start = data)
                    {
                        byte* end = {|#2:start + data.Length|};
                        *end = 0;
                    }
                }
            }
            """;

        const string origin = "field 'data', the bytes ByteStream reads";
        await Verify(
            source,
            Offset(0, "position", origin, "start + position", "with no check against 'data.Length'"),
            Offset(1, "data.Length", origin, "start + data.Length", "with a check that lets it equal 'data.Length' (one short: use <, not <=)"),
            Offset(2, "data.Length", origin, "start + data.Length", "with a check that lets it equal 'data.Length' (one short: use <, not <=)"));
    }

    [Fact]
    public async Task WideReadThroughPinnedPointer_NeedsRoomForTheWholeValue()
    {
        const string source = """
            using System.IO;

            unsafe class ChunkReader
            {
                int OnlyFirstByteChecked(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadInt32();
                    if ((uint)offset >= (uint)chunk.Length) throw new InvalidDataException("offset");
                    fixed (byte* start = chunk)
                    {
                        return *(int*)({|#0:start + offset|});
                    }
                }

                int OneShort(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadUInt16();
                    if (offset + 3 > chunk.Length) throw new InvalidDataException("offset");
                    fixed (byte* start = chunk)
                    {
                        return *(int*)({|#1:start + offset|});
                    }
                }

                int Room(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadInt32();
                    if (offset < 0 || offset > chunk.Length - sizeof(int)) throw new InvalidDataException("offset");
                    fixed (byte* start = chunk)
                    {
                        return *(int*)(start + offset);
                    }
                }

                int RoomBySum(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadUInt16();
                    if (offset + 4 > chunk.Length) throw new InvalidDataException("offset");
                    fixed (byte* start = chunk)
                    {
                        return *(int*)(start + offset);
                    }
                }

                long RoomLeft(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadUInt16();
                    if (chunk.Length - offset < 8) throw new InvalidDataException("offset");
                    fixed (byte* start = chunk)
                    {
                        return *(long*)(start + offset);
                    }
                }

                byte OneByte(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadInt32();
                    if ((uint)offset >= (uint)chunk.Length) throw new InvalidDataException("offset");
                    fixed (byte* start = chunk)
                    {
                        return *(start + offset);
                    }
                }
            }
            """;

        await Verify(
            source,
            Offset(0, "offset", "BinaryReader.ReadInt32 (line 7)", "start + offset", "with a check that leaves room for 1 of the 4 elements it reads; it needs 'offset + 4 <= chunk.Length'"),
            Offset(1, "offset", "BinaryReader.ReadUInt16 (line 17)", "start + offset", "with a check that leaves room for 3 of the 4 elements it reads (one short); it needs 'offset + 4 <= chunk.Length'"));
    }

    [Fact]
    public async Task ReadUnaligned_AtAnOffset_NeedsRoomForT()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.CompilerServices;

            unsafe class FrameReader
            {
                int Pointer(BinaryReader reader, byte[] frame)
                {
                    var at = reader.ReadInt32();
                    if ((uint)at >= (uint)frame.Length) throw new InvalidDataException("at");
                    fixed (byte* p = frame)
                    {
                        return Unsafe.ReadUnaligned<int>({|#0:p + at|});
                    }
                }

                long Element(BinaryReader reader, byte[] frame)
                {
                    var at = reader.ReadInt32();
                    if ((uint)at >= (uint)frame.Length) throw new InvalidDataException("at");
                    return {|#1:Unsafe.ReadUnaligned<long>(ref frame[at])|};
                }

                uint ElementWithRoom(BinaryReader reader, byte[] frame)
                {
                    var at = reader.ReadInt32();
                    if ((uint)at > (uint)(frame.Length - 4)) throw new InvalidDataException("at");
                    return Unsafe.ReadUnaligned<uint>(ref frame[at]);
                }

                int PointerWithRoom(BinaryReader reader, byte[] frame)
                {
                    var at = reader.ReadUInt16();
                    if (at + sizeof(int) > frame.Length) throw new InvalidDataException("at");
                    fixed (byte* p = frame)
                    {
                        return Unsafe.ReadUnaligned<int>(p + at);
                    }
                }
            }
            """;

        await Verify(
            source,
            Offset(0, "at", "BinaryReader.ReadInt32 (line 9)", "p + at", "with a check that leaves room for 1 of the 4 elements it reads; it needs 'at + 4 <= frame.Length'"),
            Offset(1, "at", "BinaryReader.ReadInt32 (line 19)", "Unsafe.ReadUnaligned<long>(ref frame[at])", "with a check that leaves room for 1 of the 8 elements it reads; it needs 'at + 8 <= frame.Length'"));
    }

    [Fact]
    public async Task UnsafeAdd_FromGetReference_NeedsTheSpanLength()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;

            class Lookup
            {
                byte Unchecked(BinaryReader reader, ReadOnlySpan<byte> map)
                {
                    var index = reader.ReadInt32();
                    return {|#0:Unsafe.Add(ref MemoryMarshal.GetReference(map), index)|};
                }

                byte OtherBuffer(BinaryReader reader, ReadOnlySpan<byte> map, byte[] names)
                {
                    var index = reader.ReadInt32();
                    if ((uint)index >= (uint)names.Length) return 0;
                    return {|#1:Unsafe.Add(ref MemoryMarshal.GetReference(map), index)|};
                }

                int Wide(BinaryReader reader, ReadOnlySpan<byte> map)
                {
                    var index = reader.ReadInt32();
                    if ((uint)index >= (uint)map.Length) return 0;
                    ref byte start = ref MemoryMarshal.GetReference(map);
                    return Unsafe.ReadUnaligned<int>(ref {|#2:Unsafe.Add(ref start, index)|});
                }

                int WideAs(BinaryReader reader, Span<byte> map)
                {
                    var index = reader.ReadInt32();
                    if (index < 0 || index > map.Length - 2) return 0;
                    return Unsafe.As<byte, int>(ref {|#3:Unsafe.Add(ref MemoryMarshal.GetReference(map), index)|});
                }

                byte Checked(BinaryReader reader, ReadOnlySpan<byte> map)
                {
                    var index = reader.ReadInt32();
                    ref byte start = ref MemoryMarshal.GetReference(map);
                    if ((uint)index >= (uint)map.Length) return 0;
                    return Unsafe.Add(ref start, index);
                }

                int WideChecked(BinaryReader reader, ReadOnlySpan<byte> map)
                {
                    var index = reader.ReadInt32();
                    if (index < 0 || map.Length - index < sizeof(int)) return 0;
                    return Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref MemoryMarshal.GetReference(map), index));
                }

                int Array(BinaryReader reader, int[] counts)
                {
                    var index = reader.ReadInt32();
                    if ((uint)index >= (uint)counts.Length) return 0;
                    return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(counts), index);
                }
            }
            """;

        await Verify(
            source,
            Offset(0, "index", "BinaryReader.ReadInt32 (line 10)", "Unsafe.Add(ref MemoryMarshal.GetReference(map), index)", "with no check against 'map.Length'"),
            Offset(1, "index", "BinaryReader.ReadInt32 (line 16)", "Unsafe.Add(ref MemoryMarshal.GetReference(map), index)", "with a check against 'names.Length', not 'map.Length'"),
            Offset(2, "index", "BinaryReader.ReadInt32 (line 23)", "Unsafe.Add(ref start, index)", "with a check that leaves room for 1 of the 4 elements it reads; it needs 'index + 4 <= map.Length'"),
            Offset(3, "index", "BinaryReader.ReadInt32 (line 31)", "Unsafe.Add(ref MemoryMarshal.GetReference(map), index)", "with a check that leaves room for 2 of the 4 elements it reads; it needs 'index + 4 <= map.Length'"));
    }

    [Fact]
    public async Task PinnedSpanAndStackBuffer_AreInSight_PointerParameterIsNot()
    {
        const string source = """
            using System;
            using System.IO;

            unsafe class BlobReader
            {
                short Span(BinaryReader reader, ReadOnlySpan<byte> blob)
                {
                    var at = reader.ReadInt32();
                    if (at < 0 || at >= blob.Length) return 0;
                    fixed (byte* p = blob)
                    {
                        return *(short*)({|#0:p + at|});
                    }
                }

                short SpanChecked(BinaryReader reader, ReadOnlySpan<byte> blob)
                {
                    var at = reader.ReadInt32();
                    if (at < 0 || at > blob.Length - sizeof(short)) return 0;
                    fixed (byte* p = blob)
                    {
                        return *(short*)(p + at);
                    }
                }

                byte Stack(BinaryReader reader)
                {
                    var nibble = reader.ReadByte() & 0x0F;
                    byte* table = stackalloc byte[16];
                    return table[nibble];
                }

                byte StackTooSmall(BinaryReader reader)
                {
                    var code = reader.ReadByte() & 0x1F;
                    byte* table = stackalloc byte[16];
                    return {|#3:table[code]|};
                }

                byte Cursor(BinaryReader reader, byte[] blob)
                {
                    var at = reader.ReadInt32();
                    if (at < 0 || at > blob.Length) return 0;
                    fixed (byte* start = blob)
                    {
                        var cursor = start;
                        cursor++;
                        return {|#4:cursor[at]|};
                    }
                }

                char Text(BinaryReader reader, string name)
                {
                    var at = reader.ReadInt32();
                    fixed (char* c = name)
                    {
                        return {|#1:c[at]|};
                    }
                }

                byte Native(BinaryReader reader, byte* data, int length)
                {
                    var at = reader.ReadInt32();
                    if ((uint)at >= (uint)length) return 0;
                    return {|#2:data[at]|};
                }
            }
            """;

        await Verify(
            source,
            Offset(0, "at", "BinaryReader.ReadInt32 (line 8)", "p + at", "with a check that leaves room for 1 of the 2 elements it reads (one short); it needs 'at + 2 <= blob.Length'"),
            Offset(1, "at", "BinaryReader.ReadInt32 (line 54)", "c[at]", "with no check against 'name.Length'"),
            Offset(2, "at", "BinaryReader.ReadInt32 (line 63)", "data[at]", "with no check that it stays inside the buffer"),
            Offset(3, "code", "BinaryReader.ReadByte (line 35)", "table[code]", "which can be past the 16 elements of 'stackalloc byte[16]'"),
            Offset(4, "at", "BinaryReader.ReadInt32 (line 42)", "cursor[at]", "with no check that it stays inside the buffer"));
    }

    [Fact]
    public async Task WideRead_FixLeavesRoomForTheWholeValue()
    {
        const string source = """
            using System.IO;

            unsafe class ChunkReader
            {
                int Read(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = chunk)
                    {
                        var value = *(int*)({|#0:start + offset|});
                        return value;
                    }
                }
            }
            """;
        const string fixedSource = """
            using System.IO;

            unsafe class ChunkReader
            {
                int Read(BinaryReader reader, byte[] chunk)
                {
                    var offset = reader.ReadInt32();
                    fixed (byte* start = chunk)
                    {
                        if (offset < 0 || offset > chunk.Length - 4)
                        {
                            throw new InvalidDataException("Offset 'offset' is outside 'chunk'.");
                        }

                        var value = *(int*)(start + offset);
                        return value;
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source, FixedCode = fixedSource };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(Offset(0, "offset", "BinaryReader.ReadInt32 (line 7)", "start + offset", "with no check that 'offset + 4 <= chunk.Length'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task LoopUpToACountFromContent_IsInsideWhenTheCountIsChecked()
    {
        const string source = """
            using System.IO;

            unsafe class Samples
            {
                int Unchecked(BinaryReader reader, byte[] samples)
                {
                    var count = reader.ReadInt32();
                    var sum = 0;
                    fixed (byte* p = samples)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            sum += {|#0:p[i]|};
                        }
                    }

                    return sum;
                }

                int Checked(BinaryReader reader, byte[] samples)
                {
                    var count = reader.ReadInt32();
                    if (count > samples.Length) throw new InvalidDataException("count");
                    var sum = 0;
                    fixed (byte* p = samples)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            sum += p[i];
                        }
                    }

                    return sum;
                }

                long Words(BinaryReader reader, byte[] samples)
                {
                    var count = reader.ReadInt32();
                    if (count > samples.Length) throw new InvalidDataException("count");
                    long sum = 0;
                    fixed (byte* p = samples)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            sum += *(int*)({|#1:p + i|});
                        }
                    }

                    return sum;
                }

                long WordsChecked(BinaryReader reader, byte[] samples)
                {
                    var count = reader.ReadInt32();
                    if (count > samples.Length - 4) throw new InvalidDataException("count");
                    long sum = 0;
                    fixed (byte* p = samples)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            sum += *(int*)(p + i);
                        }
                    }

                    return sum;
                }
            }
            """;

        await Verify(
            source,
            Offset(0, "i", "BinaryReader.ReadInt32 (line 7)", "p[i]", "with no check against 'samples.Length'"),
            Offset(1, "i", "BinaryReader.ReadInt32 (line 38)", "p + i", "with a check that leaves room for 1 of the 4 elements it reads; it needs 'i + 4 <= samples.Length'"));
    }

    [Fact]
    public async Task PackReader_CheckedEachWay_IsQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;

            unsafe class PackReader
            {
                uint Magic(BinaryReader reader, byte[] pack)
                {
                    var at = reader.ReadUInt16();
                    if (pack.Length < at + 8) throw new InvalidDataException("at");
                    fixed (byte* p = pack)
                    {
                        return *(uint*)(p + at) ^ *(uint*)(p + at + 4);
                    }
                }

                long Helpers(BinaryReader reader, byte[] pack)
                {
                    var at = reader.ReadInt32();
                    ArgumentOutOfRangeException.ThrowIfNegative(at);
                    ArgumentOutOfRangeException.ThrowIfGreaterThan(at, pack.Length - sizeof(long));
                    fixed (byte* p = pack)
                    {
                        return Unsafe.ReadUnaligned<long>(p + at);
                    }
                }

                ushort Branch(BinaryReader reader, ReadOnlySpan<byte> pack)
                {
                    var at = reader.ReadInt32();
                    if (at >= 0 && at <= pack.Length - 2)
                    {
                        return Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(pack), at));
                    }

                    return 0;
                }

                byte Copy(BinaryReader reader, byte[] pack)
                {
                    var at = reader.ReadInt32();
                    if ((uint)at >= (uint)pack.Length) return 0;
                    fixed (byte* p = pack)
                    {
                        var cursor = p;
                        return cursor[at];
                    }
                }
            }
            """;

        await Verify(source);
    }

    [Fact]
    public async Task SyncScanToThePinnedEndOfWhatWasRead_IsQuiet_ToAnEndTheContentSaysIsFlagged()
    {
        // A FLAC pre-scan reads a block and walks a pointer over it looking for frame sync codes, up to the pinned start
        // plus what was read less a header: the address is the code's and the count read is at most the buffer, so
        // the loop goes no further than the block. An end the content gives is another matter.
        const string source = """
            using System.Collections.Generic;
            using System.IO;

            unsafe class FlacPreScan
            {
                public List<long> Scan(Stream stream)
                {
                    var buffer = new byte[4096];
                    var frames = new List<long>();
                    while (true)
                    {
                        int read = stream.Read(buffer, 0, buffer.Length);
                        if (read <= 16)
                            break;

                        fixed (byte* bufferPtr = buffer)
                        {
                            byte* ptr = bufferPtr;
                            while ((bufferPtr + read - 16) > ptr)
                            {
                                if (*ptr++ == 0xFF)
                                    frames.Add(ptr - bufferPtr);
                            }
                        }
                    }

                    return frames;
                }

                public List<byte> Backwards(BinaryReader reader, byte[] buffer)
                {
                    var list = new List<byte>();
                    int count = reader.ReadInt32();
                    fixed (byte* p = buffer)
                    {
                        for (byte* q = {|#2:p + count|}; {|#3:q > p|}; q--)
                            list.Add(*q);
                    }

                    return list;
                }

                public List<long> ToDeclaredEnd(Stream stream, BinaryReader reader)
                {
                    var buffer = new byte[4096];
                    var frames = new List<long>();
                    int length = reader.ReadInt32();
                    if ((uint)length > (uint)buffer.Length)
                        length = 0;

                    stream.ReadExactly(buffer, 0, length);
                    int declared = reader.ReadInt32();
                    fixed (byte* bufferPtr = buffer)
                    {
                        byte* ptr = bufferPtr;
                        while ({|#0:({|#1:bufferPtr + declared|}) > ptr|})
                        {
                            if (*ptr++ == 0xFF)
                                frames.Add(ptr - bufferPtr);
                        }
                    }

                    return frames;
                }
            }
            """;

        await Verify(
            source,
            VerifyCS.Diagnostic("SBD2007").WithLocation(0).WithArguments("bufferPtr + declared", "BinaryReader.ReadInt32 (line 52)"),
            Offset(1, "declared", "BinaryReader.ReadInt32 (line 52)", "bufferPtr + declared", "with no check against 'buffer.Length'"),
            Offset(2, "count", "BinaryReader.ReadInt32 (line 33)", "p + count", "with no check against 'buffer.Length'"),
            VerifyCS.Diagnostic("SBD2007").WithLocation(3).WithArguments("p", "BinaryReader.ReadInt32 (line 33)"));
    }
}
