using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A pooled buffer of the program's own (<c>new PooledBuffer&lt;T&gt;(count).GetSpan()</c>) hands out a span of exactly the
/// length its constructor was given, when the type keeps that span in a field only its constructors write.
/// </summary>
public class WrapperLengthTests
{
    private static DiagnosticResult Index(int location, string index, string origin, string access) =>
        VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments(index, origin, access, $"with no check against '{access.Substring(0, access.IndexOf('[', StringComparison.Ordinal))}.Length'");

    private const string Wrappers = """
        using System;
        using System.Buffers;
        using System.IO;

        ref struct PooledBuffer<T>
            where T : unmanaged
        {
            private readonly T[] rented;
            private readonly Span<T> span;
            private int length;

            public PooledBuffer(int length)
                : this(length, clear: false)
            {
            }

            public PooledBuffer(int length, bool clear)
            {
                this.rented = ArrayPool<T>.Shared.Rent(length);
                this.length = length;
                this.Memory = new Memory<T>(this.rented)[..this.length];
                this.span = this.Memory.Span;
                if (clear)
                {
                    this.span.Clear();
                }
            }

            public Memory<T> Memory { get; }

            public readonly Span<T> GetSpan()
            {
                if (this.rented is null)
                {
                    throw new ObjectDisposedException("PooledBuffer");
                }

                return this.span;
            }

            public void Dispose()
            {
                ArrayPool<T>.Shared.Return(this.rented);
                this.length = 0;
            }
        }

        ref struct ChunkBuffer<T>
            where T : unmanaged
        {
            private readonly T[] chunk;

            public ChunkBuffer(int length) => this.chunk = new T[Math.Min(length, 64)];

            public Span<T> GetSpan() => this.chunk;

            public void Dispose()
            {
            }
        }

        ref struct GrowingBuffer<T>
            where T : unmanaged
        {
            private T[] items;

            public GrowingBuffer(int length) => this.items = new T[length];

            public Span<T> GetSpan() => this.items;

            public void Shrink() => this.items = new T[1];

            public void Dispose()
            {
            }
        }

        """;

    [Fact]
    public async Task SpanOfAPooledBufferOfTheCount_IsBoundedByTheCount()
    {
        // The pooled buffer's span is a slice of exactly the count its constructor was given (through the chained
        // constructor, a field holding the count, a memory sliced to it and that memory's span): a loop up to the count
        // stays inside it. A buffer that keeps at most 64 elements, or one whose array another method replaces, does not.
        const string source = Wrappers + """
            static class Lookup
            {
                public static int Sum(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    using PooledBuffer<ushort> offsetsBuffer = new(count);
                    Span<ushort> offsets = offsetsBuffer.GetSpan();
                    for (int i = 0; i < offsets.Length; i++)
                    {
                        offsets[i] = reader.ReadUInt16();
                    }

                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        sum += offsets[i];
                    }

                    return sum;
                }

                public static int SumChunk(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    using ChunkBuffer<ushort> offsetsBuffer = new(count);
                    Span<ushort> offsets = offsetsBuffer.GetSpan();
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        sum += {|#0:offsets[i]|};
                    }

                    return sum;
                }

                public static int SumGrowing(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    using GrowingBuffer<ushort> offsetsBuffer = new(count);
                    Span<ushort> offsets = offsetsBuffer.GetSpan();
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        sum += {|#1:offsets[i]|};
                    }

                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "i", "BinaryReader.ReadUInt16 (line 100)", "offsets[i]"),
            Index(1, "i", "BinaryReader.ReadUInt16 (line 114)", "offsets[i]"));
    }

    [Fact]
    public async Task PooledBufferReplacedOrMadeOfAnotherCount_IsNotBoundedByTheCount()
    {
        // The count bounds the span of the buffer made with it, not of a buffer made with another value, nor of a local
        // that is given another buffer later, nor of one whose constructor cuts the count before it allocates.
        const string source = Wrappers + """
            ref struct CappedBuffer<T>
                where T : unmanaged
            {
                private readonly T[] items;

                public CappedBuffer(int length)
                {
                    length = Math.Min(length, 64);
                    this.items = new T[length];
                }

                public Span<T> GetSpan() => this.items;

                public void Dispose()
                {
                }
            }

            static class Lookup
            {
                public static int SumCapped(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    using CappedBuffer<ushort> offsetsBuffer = new(count);
                    Span<ushort> offsets = offsetsBuffer.GetSpan();
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        sum += {|#2:offsets[i]|};
                    }

                    return sum;
                }

                public static int SumOther(BinaryReader reader, int size)
                {
                    ushort count = reader.ReadUInt16();
                    using PooledBuffer<ushort> offsetsBuffer = new(size);
                    Span<ushort> offsets = offsetsBuffer.GetSpan();
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        sum += {|#0:offsets[i]|};
                    }

                    return sum;
                }

                public static int SumReplaced(BinaryReader reader)
                {
                    ushort count = reader.ReadUInt16();
                    PooledBuffer<ushort> offsetsBuffer = new(count);
                    offsetsBuffer = new(4);
                    Span<ushort> offsets = offsetsBuffer.GetSpan();
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        sum += {|#1:offsets[i]|};
                    }

                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "i", "BinaryReader.ReadUInt16 (line 113)", "offsets[i]"),
            Index(1, "i", "BinaryReader.ReadUInt16 (line 127)", "offsets[i]"),
            Index(2, "i", "BinaryReader.ReadUInt16 (line 99)", "offsets[i]"));
    }

    [Fact]
    public async Task SpanOfAListSetToTheCount_IsBoundedByTheCount()
    {
        // CollectionsMarshal.SetCount(list, count) then AsSpan(list): the span has exactly count elements. A list whose
        // count is set to another value, or that is added to in between, does not.
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Runtime.InteropServices;

            static class Lists
            {
                public static List<short> Read(BinaryReader reader)
                {
                    int count = reader.ReadUInt16();
                    var list = new List<short>(count);
                    CollectionsMarshal.SetCount(list, count);
                    var span = CollectionsMarshal.AsSpan(list);
                    for (int i = 0; i < count; i++)
                    {
                        span[i] = reader.ReadInt16();
                    }

                    return list;
                }

                public static List<short> ReadHalf(BinaryReader reader)
                {
                    int count = reader.ReadUInt16();
                    var list = new List<short>(count);
                    CollectionsMarshal.SetCount(list, count / 2);
                    var span = CollectionsMarshal.AsSpan(list);
                    for (int i = 0; i < count; i++)
                    {
                        {|#0:span[i]|} = reader.ReadInt16();
                    }

                    return list;
                }

                public static List<short> ReadCleared(BinaryReader reader)
                {
                    int count = reader.ReadUInt16();
                    var list = new List<short>(count);
                    CollectionsMarshal.SetCount(list, count);
                    list.Clear();
                    var span = CollectionsMarshal.AsSpan(list);
                    for (int i = 0; i < count; i++)
                    {
                        {|#1:span[i]|} = reader.ReadInt16();
                    }

                    return list;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "i", "BinaryReader.ReadUInt16 (line 23)", "span[i]"),
            Index(1, "i", "BinaryReader.ReadUInt16 (line 37)", "span[i]"));
    }
}
