using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// Buffers made for the amounts the code then uses: a writer's span of at least the size asked for, an array of two
/// lengths joined, and a size checked by a throw helper of the program's own.
/// </summary>
public class MadeBufferTests
{
    private static DiagnosticResult Range(int location, string range, string origin, string sink, string length) =>
        VerifyCS.Diagnostic("SBD2002").WithLocation(location).WithArguments(range, origin, sink, length);

    private static DiagnosticResult Size(int location, string size, string origin, string allocation) =>
        VerifyCS.Diagnostic("SBD2003").WithLocation(location).WithArguments(size, origin, allocation);

    private static DiagnosticResult Index(int location, string index, string origin, string access, string why) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, why);

    [Fact]
    public async Task WritersSpanOfTheSize_FitsTheSize_AndTheSizeIsAnAllocation()
    {
        // IBufferWriter<T>.GetSpan(n) returns at least n elements: Slice(0, n) of it fits, through a local too, as does
        // a pool's Rent(n).AsSpan(0, n). The size itself is an allocation: reported when nothing caps it. A slice of
        // another count, or from offset 1, is not the size asked for.
        const string source = """
            using System;
            using System.Buffers;
            using System.IO;

            static class Blocks
            {
                const int MaxBlock = 1 << 20;

                public static void Copy(BinaryReader reader, IBufferWriter<byte> writer)
                {
                    int length = reader.ReadInt32();
                    if (length < 0 || length > MaxBlock)
                    {
                        throw new InvalidDataException();
                    }

                    Span<byte> block = writer.GetSpan(length).Slice(0, length);
                    reader.BaseStream.ReadExactly(block);
                    Span<byte> again = writer.GetSpan(length);
                    reader.BaseStream.ReadExactly(again.Slice(0, length));
                    byte[] rented = ArrayPool<byte>.Shared.Rent(length);
                    reader.BaseStream.ReadExactly(rented.AsSpan(0, length));
                    writer.Advance(length);
                }

                public static void Unchecked(BinaryReader reader, IBufferWriter<byte> writer)
                {
                    int length = reader.ReadInt32();
                    Memory<byte> block = writer.GetMemory({|#0:length|});
                    writer.Advance(block.Length);
                }

                public static void OtherCount(BinaryReader reader, IBufferWriter<byte> writer, int hint)
                {
                    int length = reader.ReadInt32();
                    if (length < 0 || length > MaxBlock)
                    {
                        throw new InvalidDataException();
                    }

                    reader.BaseStream.ReadExactly({|#1:writer.GetSpan(hint).Slice(0, length)|});
                    reader.BaseStream.ReadExactly({|#2:writer.GetSpan(length).Slice(1, length)|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "length", "BinaryReader.ReadInt32 (line 28)", "writer.GetMemory(length)"),
            Range(1, "0, length", "BinaryReader.ReadInt32 (line 35)", "writer.GetSpan(hint).Slice(0, length)", "writer.GetSpan(hint).Length"),
            Range(2, "1, length", "BinaryReader.ReadInt32 (line 35)", "writer.GetSpan(length).Slice(1, length)", "writer.GetSpan(length).Length"));
    }

    [Fact]
    public async Task ArrayOfTwoLengthsJoined_HoldsBoth_ButNotOneMore()
    {
        // new byte[a.Length + b.Length]: costs what is already in memory, and b fits after a. One past a does not fit
        // b, and a count read from content (it may be negative) proves no room.
        const string source = """
            using System;
            using System.IO;

            static class Handshake
            {
                public static byte[] Join(BinaryReader reader)
                {
                    byte[] first = reader.ReadBytes(8);
                    byte[] second = reader.ReadBytes(reader.ReadByte());
                    var joined = new byte[first.Length + second.Length];
                    first.CopyTo(joined, 0);
                    second.CopyTo(joined.AsSpan(first.Length));
                    second.AsSpan().CopyTo({|#0:joined.AsSpan(first.Length + 1)|});
                    return joined;
                }

                public static byte[] Padded(BinaryReader reader)
                {
                    byte[] first = reader.ReadBytes(8);
                    int padding = reader.ReadInt32();
                    var padded = new byte[{|#1:first.Length + padding|}];
                    first.CopyTo({|#2:padded.AsSpan(padding)|});
                    return padded;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Range(0, "first.Length + 1", "BinaryReader.ReadBytes (line 8)", "joined.AsSpan(first.Length + 1)", "joined.Length"),
            Size(1, "first.Length + padding", "BinaryReader.ReadBytes (line 19)", "new byte[first.Length + padding]"),
            Range(2, "padding", "BinaryReader.ReadInt32 (line 20)", "padded.AsSpan(padding)", "padded.Length"));
    }

    [Fact]
    public async Task StackallocOfTwoLengthsJoined_HoldsBoth_ButNotOneMore()
    {
        // stackalloc byte[a.Length + b.Length] (each checked small, so the stack is safe): b fits after a, as in an
        // array. One past a does not fit b.
        const string source = """
            using System;
            using System.IO;

            static class Handshake
            {
                public static int Join(BinaryReader reader)
                {
                    byte[] salt = reader.ReadBytes(reader.ReadByte());
                    byte[] extra = reader.ReadBytes(reader.ReadByte());
                    if (salt.Length > 64 || extra.Length > 64)
                        throw new InvalidDataException();
                    Span<byte> joined = stackalloc byte[salt.Length + extra.Length];
                    salt.CopyTo(joined);
                    extra.CopyTo(joined.Slice(salt.Length));
                    extra.CopyTo({|#0:joined.Slice(salt.Length + 1)|});
                    return joined.Length;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Range(0, "salt.Length + 1", "BinaryReader.ReadBytes (line 8)", "joined.Slice(salt.Length + 1)", "joined.Length"));
    }

    [Fact]
    public async Task CacheGrownToTheCount_HoldsTheCount_ButNotOneResizedToAConstant()
    {
        // The cache is made for the count when missing, grown to at least it when short (Array.Resize to Math.Max),
        // and long enough otherwise: on every path a loop up to the count stays inside it. An uncapped count gives the
        // weaker relation (its allocations are reported, not the index within them). Resized to 16, it holds no count.
        const string source = """
            using System;
            using System.IO;

            class Columns
            {
                const int MaxColumns = 4096;
                int[] cache;

                public Memory<int> Read(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    if (count < 0 || count > MaxColumns)
                        throw new InvalidDataException();
                    if (cache is null)
                        cache = new int[count];
                    else if (cache.Length < count)
                        Array.Resize(ref cache, Math.Max(count, cache.Length * 2));
                    for (int i = 0; i < count; i++)
                        cache[i] = i;
                    return cache.AsMemory(0, count);
                }

                public void Uncapped(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    if (cache is null)
                        cache = new int[{|#0:count|}];
                    else if (cache.Length < count)
                        Array.Resize(ref cache, {|#1:Math.Max(count, cache.Length * 2)|});
                    for (int i = 0; i < count; i++)
                        cache[i] = i;
                }

                public void Shrunk(BinaryReader reader)
                {
                    int count = reader.ReadInt32();
                    if (count < 0 || count > MaxColumns)
                        throw new InvalidDataException();
                    if (cache is null || cache.Length < count)
                        cache = new int[count];
                    Array.Resize(ref cache, 16);
                    for (int i = 0; i < count; i++)
                        {|#2:cache[i]|} = i;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "count", "BinaryReader.ReadInt32 (line 25)", "new int[count]"),
            Size(1, "Math.Max(count, cache.Length * 2)", "BinaryReader.ReadInt32 (line 25)", "Array.Resize(ref cache, Math.Max(count, cache.Length * 2))"),
            Index(2, "i", "BinaryReader.ReadInt32 (line 36)", "cache[i]", "with no check against 'cache.Length'"));
    }

    [Fact]
    public async Task SizeCheckedByAThrowHelper_IsBounded_UnlessTheHelperCanBeSkipped()
    {
        // The helper's opening if throws unless the length is within the maximum and the index below the count: after
        // the call both hold at the caller. A check one short (index > count), a [Conditional] helper, a virtual one
        // an override may replace, and a helper that returns before its check prove nothing.
        const string source = """
            using System;
            using System.Diagnostics;
            using System.IO;

            class Decoder
            {
                const int MaxBlock = 1 << 20;

                static void ThrowIfInvalidLength(int length, long max)
                {
                    if (length < 0 || length > max)
                    {
                        throw new InvalidDataException("The block declares a length over the maximum.");
                    }
                }

                static void CheckIndex(int index, int count)
                {
                    if (index < 0)
                        throw new InvalidDataException();
                    if (index >= count)
                        throw new InvalidDataException();
                }

                static void CheckIndexOneShort(int index, int count)
                {
                    if (index < 0 || index > count)
                        throw new InvalidDataException();
                }

                [Conditional("DEBUG")]
                static void DebugCheck(int length, long max)
                {
                    if (length > max)
                        throw new InvalidDataException();
                }

                protected virtual void Check(int length, long max)
                {
                    if (length > max)
                        throw new InvalidDataException();
                }

                static void CheckUnlessEmpty(int length, long max)
                {
                    if (length == 0)
                        return;
                    if (length > max)
                        throw new InvalidDataException();
                }

                public byte[] Block(BinaryReader reader, long max)
                {
                    int length = reader.ReadInt32();
                    ThrowIfInvalidLength(length, max);
                    return new byte[length];
                }

                public int Entry(BinaryReader reader, int[] table)
                {
                    int index = reader.ReadInt32();
                    CheckIndex(index, table.Length);
                    int other = reader.ReadInt32();
                    CheckIndexOneShort(other, table.Length);
                    return table[index] + {|#0:table[other]|};
                }

                public int Skipped(BinaryReader reader)
                {
                    int debug = reader.ReadInt32();
                    DebugCheck(debug, MaxBlock);
                    int overridden = reader.ReadInt32();
                    Check(overridden, MaxBlock);
                    int empty = reader.ReadInt32();
                    CheckUnlessEmpty(empty, MaxBlock);
                    return new byte[{|#1:debug|}].Length + new byte[{|#2:overridden|}].Length + new byte[{|#3:empty|}].Length;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "other", "BinaryReader.ReadInt32 (line 63)", "table[other]", "with a check that lets it equal 'table.Length' (one short: use <, not <=)"),
            Size(1, "debug", "BinaryReader.ReadInt32 (line 70)", "new byte[debug]"),
            Size(2, "overridden", "BinaryReader.ReadInt32 (line 72)", "new byte[overridden]"),
            Size(3, "empty", "BinaryReader.ReadInt32 (line 74)", "new byte[empty]"));
    }

    [Fact]
    public async Task ThrowHelpersThatMayNotThrowAtTheCall_ProveNothing()
    {
        // Debug.Fail is gone from a release build; an iterator checks at its first MoveNext and an async method puts
        // the exception in its task; a goto can leave the throwing branch; a primary constructor's parameter is not
        // the helper's own (its ordinal names another argument).
        const string source = """
            using System.Collections.Generic;
            using System.Diagnostics;
            using System.IO;
            using System.Threading.Tasks;

            sealed class Table(int[] entries, int limit)
            {
                static void DebugCheck(int length)
                {
                    if (length > 1024)
                        Debug.Fail("too long");
                }

                static IEnumerable<int> Items(int count)
                {
                    if (count > 1024)
                        throw new InvalidDataException();
                    yield return count;
                }

                static async Task CheckAsync(int count)
                {
                    if (count > 1024)
                        throw new InvalidDataException();
                    await Task.Yield();
                }

                static void Lenient(int length, bool lenient)
                {
                    if (length > 1024)
                    {
                        if (lenient)
                            goto done;
                        throw new InvalidDataException();
                    }

                done:
                    return;
                }

                void CheckIndex(int index, int count)
                {
                    if (index < 0 || index >= limit)
                        throw new InvalidDataException();
                }

                public int Read(BinaryReader reader, int[] table)
                {
                    int a = reader.ReadInt32();
                    DebugCheck(a);
                    int b = reader.ReadInt32();
                    var items = Items(b);
                    int c = reader.ReadInt32();
                    _ = CheckAsync(c);
                    int d = reader.ReadInt32();
                    Lenient(d, true);
                    int i = reader.ReadInt32();
                    CheckIndex(i, table.Length);
                    return new byte[{|#0:a|}].Length + new byte[{|#1:b|}].Length + new byte[{|#2:c|}].Length + new byte[{|#3:d|}].Length
                        + {|#4:table[i]|} + entries.Length;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Size(0, "a", "BinaryReader.ReadInt32 (line 49)", "new byte[a]"),
            Size(1, "b", "BinaryReader.ReadInt32 (line 51)", "new byte[b]"),
            Size(2, "c", "BinaryReader.ReadInt32 (line 53)", "new byte[c]"),
            Size(3, "d", "BinaryReader.ReadInt32 (line 55)", "new byte[d]"),
            Index(4, "i", "BinaryReader.ReadInt32 (line 57)", "table[i]", "with no check against 'table.Length'"));
    }

    [Fact]
    public async Task SizesThatAreNotTheVariablesValue_ProveNothing()
    {
        // (ushort)a is not a; Array.Resize(ref data, data.Length + extra) is sized by the old length, not the new one;
        // a palette resized to a count no longer has 256 entries; a writer of the program's own may hand out less
        // than it was asked for.
        const string source = """
            using System;
            using System.Buffers;
            using System.IO;

            sealed class FixedWriter : IBufferWriter<byte>
            {
                private readonly byte[] buffer = new byte[64];
                private int position;

                public void Advance(int count) => position += count;

                public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(position);

                public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(position);
            }

            static class Sizes
            {
                public static int Read(BinaryReader reader, IBufferWriter<byte> writer)
                {
                    int a = reader.ReadInt32();
                    int b = reader.ReadInt32();
                    if (a < 0 || b < 0)
                        throw new InvalidDataException();
                    var cut = new byte[(ushort)a + (ushort)b];
                    reader.BaseStream.ReadExactly({|#0:cut.AsSpan(0, a)|});

                    byte[] data = reader.ReadBytes(16);
                    int extra = reader.ReadByte();
                    Array.Resize(ref data, {|#4:data.Length + extra|});
                    reader.BaseStream.ReadExactly({|#1:data.AsSpan(data.Length, extra)|});

                    var palette = new int[256];
                    Array.Resize(ref palette, reader.ReadByte());
                    int color = {|#2:palette[reader.ReadByte()]|};

                    int length = reader.ReadUInt16();
                    reader.BaseStream.ReadExactly({|#3:writer.GetSpan(length).Slice(0, length)|});
                    return cut.Length + data.Length + color;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Range(0, "0, a", "BinaryReader.ReadInt32 (line 21)", "cut.AsSpan(0, a)", "cut.Length"),
            Range(1, "data.Length, extra", "BinaryReader.ReadBytes (line 28)", "data.AsSpan(data.Length, extra)", "data.Length"),
            Size(4, "data.Length + extra", "BinaryReader.ReadBytes (line 28)", "Array.Resize(ref data, data.Length + extra)"),
            Index(2, "reader.ReadByte()", "BinaryReader.ReadByte (line 35)", "palette[reader.ReadByte()]", "with no check against 'palette.Length'"),
            Range(3, "0, length", "BinaryReader.ReadUInt16 (line 37)", "writer.GetSpan(length).Slice(0, length)", "writer.GetSpan(length).Length"));
    }
}
