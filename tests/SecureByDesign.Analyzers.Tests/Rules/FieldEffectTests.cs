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
}
