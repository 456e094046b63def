using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>A header the type's own method reads into a field, used by the caller right after the call.</summary>
public class FieldEffectTests
{
    [Fact]
    public async Task DescriptorReadIntoAField_SizesTheCallersAllocation()
    {
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.InteropServices;

            [StructLayout(LayoutKind.Sequential, Pack = 1)]
            readonly struct FrameDescriptor
            {
                public ushort Left { get; }
                public ushort Top { get; }
                public ushort Width { get; }
                public ushort Height { get; }

                public static FrameDescriptor Parse(ReadOnlySpan<byte> buffer) => MemoryMarshal.Cast<byte, FrameDescriptor>(buffer)[0];
            }

            sealed class FrameDecoder
            {
                const int MaxPixels = 4 * 1024 * 1024;
                private readonly byte[] buffer = new byte[16];
                private FrameDescriptor descriptor;
                private int frames;

                private void ReadDescriptor(Stream stream)
                {
                    if (stream.Read(buffer, 0, 8) != 8) throw new InvalidDataException();
                    descriptor = FrameDescriptor.Parse(buffer);
                    frames++;
                }

                private void ResetDescriptor() => descriptor = default;

                public void ReadFrame(Stream stream)
                {
                    ReadDescriptor(stream);
                    var indices = new byte[{|#0:descriptor.Width * descriptor.Height|}];
                    var row = new byte[descriptor.Width];
                    var pixels = descriptor.Width * descriptor.Height;
                    if (pixels > MaxPixels) throw new InvalidDataException();
                    var checkedIndices = new byte[pixels];
                }

                public void Other(Stream stream)
                {
                    ResetDescriptor();
                    var empty = new byte[descriptor.Width * descriptor.Height];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0)
                .WithArguments("descriptor.Width * descriptor.Height", "field 'descriptor' (set from Stream.Read (line 25) in ReadDescriptor)", "new byte[descriptor.Width * descriptor.Height]"));
    }

    [Fact]
    public async Task CountsAFillLeavesInNumberFields_AreNotContent()
    {
        // A decompressing stream's Fill() stores how many bytes a read gave (end += got): a count the read bounds by the
        // buffer, not content. The caller's positions below it stay quiet; the header struct beside it is still followed.
        const string source = """
            using System;
            using System.IO;

            struct Header
            {
                public ushort Count;

                public static Header Parse(byte[] bytes) => new Header { Count = BitConverter.ToUInt16(bytes, 0) };
            }

            sealed class CodeStream
            {
                private readonly Stream input;
                private readonly byte[] data = new byte[8192];
                private int end;
                private int got;
                private Header header;

                public CodeStream(Stream input) => this.input = input;

                private void Fill()
                {
                    got = input.Read(data, 0, data.Length);
                    if (got > 0)
                    {
                        end = got;
                    }
                }

                private void ReadHeader()
                {
                    if (input.Read(data, 0, 2) != 2) throw new InvalidDataException();
                    header = Header.Parse(data);
                }

                public int NextCode()
                {
                    Fill();
                    var sum = 0;
                    for (var pos = 0; pos < end - 2; pos += 3)
                    {
                        sum += data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16;
                    }

                    return sum + got;
                }

                public int[] Table()
                {
                    ReadHeader();
                    return new int[{|#0:header.Count * 1000|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0)
                .WithArguments("header.Count * 1000", "field 'header' (set from Stream.Read (line 32) in ReadHeader)", "new int[header.Count * 1000]"));
    }

    [Fact]
    public async Task BufferFilledThroughAViewOrAReadHelper_HoldsContent()
    {
        // stream.Read(scratch.Span) fills the struct under the span; a helper that hands its span to stream.Read fills it too.
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.InteropServices;

            static class StreamExtensions
            {
                public static int Read(this Stream stream, Span<byte> buffer, int offset, int count) => stream.Read(buffer.Slice(offset, count));
            }

            [StructLayout(LayoutKind.Sequential, Pack = 1)]
            readonly struct FrameDescriptor
            {
                public ushort Left { get; }
                public ushort Top { get; }
                public ushort Width { get; }
                public ushort Height { get; }
                public static FrameDescriptor Parse(ReadOnlySpan<byte> buffer) => MemoryMarshal.Cast<byte, FrameDescriptor>(buffer)[0];
            }

            unsafe struct Scratch
            {
                private fixed byte scratch[16];
                public Span<byte> Span => MemoryMarshal.CreateSpan(ref this.scratch[0], 16);
            }

            class Decoder
            {
                private Scratch buffer;
                private readonly byte[] array = new byte[16];

                void A(Stream stream)
                {
                    stream.Read(this.buffer.Span, 0, 9);
                    var d = FrameDescriptor.Parse(this.buffer.Span);
                    var a1 = new byte[{|#0:d.Width * d.Height|}];
                }

                void B(Stream stream)
                {
                    stream.Read(this.array.AsSpan(), 0, 9);
                    var d = FrameDescriptor.Parse(this.array);
                    var a2 = new byte[{|#1:d.Width * d.Height|}];
                }

                void C(Stream stream)
                {
                    stream.Read(this.buffer.Span);
                    var d = FrameDescriptor.Parse(this.buffer.Span);
                    var a3 = new byte[{|#2:d.Width * d.Height|}];
                }

                void D(Stream stream)
                {
                    Span<byte> span = this.buffer.Span;
                    stream.Read(span);
                    var d = FrameDescriptor.Parse(span);
                    var a4 = new byte[{|#3:d.Width * d.Height|}];
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2003").WithLocation(0).WithArguments("d.Width * d.Height", "Read (Stream.Read (line 7))", "new byte[d.Width * d.Height]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(1).WithArguments("d.Width * d.Height", "Read (Stream.Read (line 7))", "new byte[d.Width * d.Height]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(2).WithArguments("d.Width * d.Height", "Stream.Read (line 47)", "new byte[d.Width * d.Height]"),
            VerifyCS.Diagnostic("SBD2003").WithLocation(3).WithArguments("d.Width * d.Height", "Stream.Read (line 55)", "new byte[d.Width * d.Height]"));
    }
}
