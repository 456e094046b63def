using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>SBD2003 through a pluggable allocator of the compilation: an abstract or virtual Allocate whose implementations allocate the length.</summary>
public class AllocatorHelpersTests
{
    private const string Allocators = """
        using System;
        using System.Buffers;
        using System.IO;

        public interface IBufferOwner<T> : IDisposable
        {
            Span<T> Span { get; }
        }

        public abstract class BufferAllocator
        {
            public abstract IBufferOwner<T> Allocate<T>(int length) where T : struct;
        }

        sealed class PooledOwner<T> : IBufferOwner<T> where T : struct
        {
            private readonly T[] array;
            private readonly int length;

            public PooledOwner(int length)
            {
                this.length = length;
                array = ArrayPool<T>.Shared.Rent(length);
            }

            public Span<T> Span => array.AsSpan(0, length);

            public void Dispose() => ArrayPool<T>.Shared.Return(array);
        }

        sealed class PooledAllocator : BufferAllocator
        {
            public override IBufferOwner<T> Allocate<T>(int length) => new PooledOwner<T>(length);
        }

        public sealed class Grid<T> where T : struct
        {
            public Grid(IBufferOwner<T> owner, int width, int height) => (Owner, Width, Height) = (owner, width, height);

            public IBufferOwner<T> Owner { get; }
            public int Width { get; }
            public int Height { get; }
        }

        public static class BufferAllocatorExtensions
        {
            public static Grid<T> AllocateGrid<T>(this BufferAllocator allocator, int width, int height) where T : struct
            {
                long total = (long)width * height;
                return new Grid<T>(allocator.Allocate<T>((int)total), width, height);
            }
        }
        """;

    [Fact]
    public async Task GridFromTheHeader_IsFlaggedThroughTheAllocatorsImplementation_ButNotARowCheckedAgainstAMaximum()
    {
        const string source = Allocators + """

            sealed class FrameDecoder
            {
                const int MaxWidth = 16384;
                private readonly BufferAllocator allocator;

                public FrameDecoder(BufferAllocator allocator) => this.allocator = allocator;

                public void Decode(BinaryReader reader)
                {
                    int width = reader.ReadInt32();
                    int height = reader.ReadInt32();
                    using var indices = allocator.AllocateGrid<byte>({|#0:width|}, height).Owner;
                    using var palette = allocator.Allocate<byte>(768);
                    if (width <= 0 || width > MaxWidth) throw new InvalidDataException();
                    using var row = allocator.Allocate<byte>(width);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("width * height", "BinaryReader.ReadInt32 (line 62)", "BufferAllocatorExtensions.AllocateGrid', which allocates 'ArrayPool<T>.Shared.Rent(length)"));
    }

    [Fact]
    public async Task VirtualAllocate_IsFlaggedWhenAnOverrideAllocatesUnchecked_AndQuietWithoutAnImplementationInSight()
    {
        // A base whose own body checks the size, an override that does not; an abstract allocator implemented elsewhere
        // (none in the compilation) says nothing about what it allocates; a header width read as a ushort fits any limit.
        const string source = """
            using System;
            using System.IO;

            public class ChunkSource
            {
                public const int Limit = 1 << 20;

                public virtual byte[] Take(int size)
                {
                    if (size < 0 || size > Limit) throw new InvalidDataException();
                    return new byte[size];
                }
            }

            sealed class UncheckedSource : ChunkSource
            {
                public override byte[] Take(int size) => new byte[size];
            }

            public class CheckedSource
            {
                public virtual byte[] Take(int size)
                {
                    if (size < 0 || size > ChunkSource.Limit) throw new InvalidDataException();
                    return new byte[size];
                }
            }

            public abstract class ExternalAllocator
            {
                public abstract Memory<byte> Allocate(int length);
            }

            sealed class Reader
            {
                void Read(BinaryReader reader, ChunkSource chunks, CheckedSource checkedChunks, ExternalAllocator external)
                {
                    int size = reader.ReadInt32();
                    var a = chunks.Take({|#0:size|});
                    var b = checkedChunks.Take(size);
                    var c = external.Allocate(size);
                    ushort width = reader.ReadUInt16();
                    var d = chunks.Take(width);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("size", "BinaryReader.ReadInt32 (line 38)", "ChunkSource.Take', which allocates 'new byte[size]"));
    }
}
