using Microsoft.CodeAnalysis.Testing;
using FieldsCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.FieldCountAnalyzer,
    SecureByDesign.Analyzers.FieldCountFixer>;
using MemoryCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>What a getter of the compilation computes: the bound of a size it masks, the length of a buffer it views.</summary>
public class ComputedPropertyTests
{
    [Fact]
    public async Task TableSizeAGetterComputesFromAMaskedField_IsBounded()
    {
        // A colour table sized by the descriptor's packed bits (2 << (Packed & 7), at most 256) is bounded; a size the
        // getter computes with no bound (a product of two ushort fields, which int cannot hold) is still the content's.
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.InteropServices;

            [StructLayout(LayoutKind.Sequential, Pack = 1)]
            readonly struct ScreenDescriptor
            {
                public ushort Width { get; }
                public ushort Height { get; }
                public byte Packed { get; }

                public int ColorTableSize => 2 << (this.Packed & 0x07);

                public int ColorTableBytes
                {
                    get { return Math.Min(this.ColorTableSize * 3, 768); }
                }

                public int Pixels => this.Width * this.Height;

                public static ScreenDescriptor Parse(ReadOnlySpan<byte> buffer) => MemoryMarshal.Cast<byte, ScreenDescriptor>(buffer)[0];
            }

            sealed class ScreenDecoder
            {
                private readonly byte[] buffer = new byte[16];
                private ScreenDescriptor descriptor;

                private void ReadDescriptor(Stream stream)
                {
                    if (stream.Read(buffer, 0, 7) != 7) throw new InvalidDataException();
                    descriptor = ScreenDescriptor.Parse(buffer);
                }

                public void ReadColorTables(Stream stream)
                {
                    ReadDescriptor(stream);
                    var colors = new int[descriptor.ColorTableSize];
                    var length = descriptor.ColorTableSize * 3;
                    var raw = new byte[length];
                    var packed = new byte[descriptor.ColorTableBytes];
                    var extra = new byte[{|#0:descriptor.Pixels|}];
                }
            }
            """;

        await MemoryCS.VerifyAnalyzerAsync(
            source,
            MemoryCS.Diagnostic("SBD2003").WithLocation(0)
                .WithArguments("descriptor.Pixels", "field 'descriptor' (set from Stream.Read (line 31) in ReadDescriptor)", "new byte[descriptor.Pixels]"));
    }

    [Fact]
    public async Task EmptyTestAGetterMakes_ChecksTheLength_OfItsOwnInstance()
    {
        // A scanline type tests its buffer through a getter (IsEmpty => line.Length == 0): behind it, the first byte is
        // there. The same read with no test, or behind the getter of another instance, is still flagged.
        const string source = """
            using System.IO;

            sealed class ScanLine
            {
                private readonly byte[] line;

                public ScanLine(Stream stream, int width)
                {
                    this.line = new byte[width];
                    stream.Read(this.line, 0, width);
                }

                public bool IsEmpty => this.line.Length == 0;

                public bool HasTwo => !(this.line.Length < 2);

                public int First()
                {
                    if (this.IsEmpty) return -1;
                    return this.line[0];
                }

                public int FirstTwo() => this.HasTwo ? this.line[0] | this.line[1] << 8 : -1;

                public int FirstUnchecked() => {|#0:this.line[0]|};

                public int FirstOfOther(ScanLine other)
                {
                    if (other.IsEmpty) return -1;
                    return {|#1:this.line[0]|};
                }
            }
            """;

        await FieldsCS.VerifyAnalyzerAsync(
            source,
            FieldsCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(0, "this.line", "field 'line', the bytes ScanLine reads", "with no check that 'this.line.Length' is at least 1"),
            FieldsCS.Diagnostic("SBD1003").WithLocation(1).WithArguments(0, "this.line", "field 'line', the bytes ScanLine reads", "with no check that 'this.line.Length' is at least 1"));
    }

    [Fact]
    public async Task SpanIsEmpty_ProvesOneElement_NotTwo()
    {
        // Span-based readers test IsEmpty before the first byte: one element is there, a second is not.
        const string source = """
            using System;
            using System.IO;

            static class Tags
            {
                static int First(BinaryReader reader, int n)
                {
                    ReadOnlySpan<byte> span = reader.ReadBytes(n);
                    if (span.IsEmpty) return -1;
                    return span[0];
                }

                static int Second(BinaryReader reader, int n)
                {
                    ReadOnlySpan<byte> span = reader.ReadBytes(n);
                    return span.IsEmpty ? -1 : {|#0:span[1]|};
                }

                static int Unchecked(BinaryReader reader, int n)
                {
                    ReadOnlySpan<byte> span = reader.ReadBytes(n);
                    return {|#1:span[0]|};
                }
            }
            """;

        await FieldsCS.VerifyAnalyzerAsync(
            source,
            FieldsCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(1, "span", "BinaryReader.ReadBytes (line 15)", "after a check that proves only 1 field (one short); field 1 needs 'span.Length' to be at least 2"),
            FieldsCS.Diagnostic("SBD1003").WithLocation(1).WithArguments(0, "span", "BinaryReader.ReadBytes (line 21)", "with no check that 'span.Length' is at least 1"));
    }

    [Fact]
    public async Task ScratchBufferSpanOverAFixedBuffer_HasItsLength()
    {
        // A scratch struct's Span views its fixed buffer of 16 bytes (or an array field of 16): reads below 16 are in
        // range once a stream filled it. A scratch type sized by its constructor's argument has no length in sight.
        const string source = """
            using System;
            using System.IO;
            using System.Runtime.InteropServices;

            unsafe struct FixedScratch
            {
                private const int Size = 16;
                private fixed byte scratch[Size];

                public Span<byte> Span => MemoryMarshal.CreateSpan(ref this.scratch[0], Size);
            }

            sealed class ArrayScratch
            {
                private readonly byte[] data = new byte[16];

                public Span<byte> Span => this.data.AsSpan();
            }

            sealed class SizedScratch
            {
                private readonly byte[] data;

                public SizedScratch(int size) => this.data = new byte[size];

                public Span<byte> Span => new Span<byte>(this.data);
            }

            sealed class BlockReader
            {
                private FixedScratch fixedScratch;
                private readonly ArrayScratch arrayScratch = new ArrayScratch();
                private readonly SizedScratch sizedScratch = new SizedScratch(16);

                public int ReadFixed(Stream stream)
                {
                    stream.Read(this.fixedScratch.Span);
                    Span<byte> block = this.fixedScratch.Span;
                    return block[0] | block[1] << 8 | block[15] << 16;
                }

                public int ReadArray(Stream stream)
                {
                    stream.Read(this.arrayScratch.Span);
                    Span<byte> block = this.arrayScratch.Span;
                    return block[0] | block[3] << 8;
                }

                public int ReadSized(Stream stream)
                {
                    stream.Read(this.sizedScratch.Span);
                    Span<byte> block = this.sizedScratch.Span;
                    return {|#0:block[0]|};
                }
            }
            """;

        await FieldsCS.VerifyAnalyzerAsync(
            source,
            FieldsCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(0, "block", "Stream.Read (line 51)", "with no check that 'block.Length' is at least 1"));
    }

    [Fact]
    public async Task VerifierAKeyDerivationMakesOfAConstantLength_HasThatLength()
    {
        // An AES transform derives its two password-verifier bytes from the password and the salt the archive holds: the
        // array is two bytes long whatever the salt is. A verifier the transform copies from what it is given is not.
        const string source = """
            using System;
            using System.IO;
            using System.Security.Cryptography;

            sealed class AesTransform
            {
                private const int VerifierLength = 2;
                private byte[] verifier;

                public AesTransform(string password, byte[] salt)
                {
                    var derive = new Rfc2898DeriveBytes(password, salt, 1000, HashAlgorithmName.SHA1);
                    this.verifier = derive.GetBytes(VerifierLength);
                }

                public byte[] Verifier
                {
                    get { return this.verifier; }
                }
            }

            sealed class CopyingTransform
            {
                private byte[] verifier = new byte[2];

                public CopyingTransform(byte[] salt)
                {
                    if (salt.Length > 8) this.verifier = salt;
                }

                public byte[] Verifier => this.verifier;
            }

            sealed class EntryReader
            {
                private static void ReadFully(Stream stream, byte[] buffer)
                {
                    var offset = 0;
                    while (offset < buffer.Length)
                    {
                        var read = stream.Read(buffer, offset, buffer.Length - offset);
                        if (read <= 0) throw new EndOfStreamException();
                        offset += read;
                    }
                }

                public void Open(Stream stream, string password)
                {
                    var salt = new byte[16];
                    ReadFully(stream, salt);
                    var stored = new byte[2];
                    ReadFully(stream, stored);
                    var transform = new AesTransform(password, salt);
                    var computed = transform.Verifier;
                    if (computed[0] != stored[0] || computed[1] != stored[1]) throw new InvalidDataException();
                }

                public void OpenCopy(Stream stream)
                {
                    var salt = new byte[16];
                    ReadFully(stream, salt);
                    var transform = new CopyingTransform(salt);
                    var computed = transform.Verifier;
                    if ({|#0:computed[1]|} != 0) throw new InvalidDataException();
                }
            }
            """;

        await FieldsCS.VerifyAnalyzerAsync(
            source,
            FieldsCS.Diagnostic("SBD1003").WithLocation(0).WithArguments(1, "computed", "ReadFully (Stream.Read (line 41))", "with no check that 'computed.Length' is at least 2"));
    }
}
