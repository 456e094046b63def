using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.MemoryBoundsAnalyzer,
    SecureByDesign.Analyzers.MemoryBoundsFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// A method of the program that returns the count it made its <c>out</c> array with (a C port's
/// <c>count = FetchDirectory(offset, out dir)</c>): the count is at most the array's length in the caller.
/// </summary>
public class OutLengthTests
{
    [Fact]
    public async Task CountReturnedWithTheArrayItSized_IndexesIt_ACountChangedAfterIsFlagged()
    {
        // A TIFF directory: a 16-bit entry count from the file, an array of that many entries, handed back with the
        // count. The caller walks the entries up to the count. A reader that adds the next-directory slot to the count
        // after making the array returns one more than it holds.
        const string source = """
            using System.IO;

            struct Entry { public ushort Tag; public uint Value; }

            sealed class Directory
            {
                private readonly BinaryReader reader;

                public Directory(BinaryReader reader) { this.reader = reader; }

                private ulong Fetch(long offset, out Entry[] entries)
                {
                    Entry[] dir = null;
                    entries = null;
                    if (offset <= 0) return 0;
                    ulong count = reader.ReadUInt16();
                    dir = new Entry[count];
                    entries = dir;
                    return count;
                }

                private ulong FetchWithNext(long offset, out Entry[] entries)
                {
                    ulong count = reader.ReadUInt16();
                    entries = new Entry[count];
                    count++;
                    return count;
                }

                public int Tags(long offset)
                {
                    int sum = 0;
                    ulong count = Fetch(offset, out var dir);
                    for (ulong i = 0; i < count; i++) sum += dir[i].Tag;
                    ulong next = FetchWithNext(offset, out var more);
                    for (ulong i = 0; i < next; i++) sum += {|#0:more[i]|}.Tag;
                    return sum;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic("SBD2001").WithLocation(0).WithArguments("i", "FetchWithNext (BinaryReader.ReadUInt16 (line 24))", "more[i]", "with no check against 'more.Length'"));
    }

    [Fact]
    public async Task CountsTheArrayCannotVouchFor_StayFlagged()
    {
        // A narrowing cast makes another size; a ref local, a lambda run after the array is made, a goto, a
        // deconstruction and an override change the count or the array unseen.
        const string source = """
            using System;
            using System.IO;

            struct Entry { public ushort Tag; }

            class Directory
            {
                protected readonly BinaryReader reader;

                public Directory(BinaryReader reader) { this.reader = reader; }

                private int Narrowed(out Entry[] entries) { int count = reader.ReadInt32(); entries = new Entry[(byte)count]; return count; }

                private int Aliased(out Entry[] entries) { int count = reader.ReadUInt16(); ref int c = ref count; entries = new Entry[count]; c += reader.ReadInt32(); return count; }

                private int Deferred(out Entry[] entries) { int count = reader.ReadUInt16(); Action grow = () => count += reader.ReadInt32(); entries = new Entry[count]; grow(); return count; }

                private int Jumped(out Entry[] entries)
                {
                    int count = reader.ReadUInt16();
                    goto Make;
                Bump:
                    count = reader.ReadInt32();
                    goto Done;
                Make:
                    entries = new Entry[count];
                    goto Bump;
                Done:
                    return count;
                }

                private int Swapped(out Entry[] entries) { int count = reader.ReadUInt16(); entries = new Entry[count]; int other; (entries, other) = (new Entry[0], 0); return count; }

                public virtual int Fetch(out Entry[] entries) { int count = reader.ReadUInt16(); entries = new Entry[count]; return count; }

                public int Tags()
                {
                    int sum = 0;
                    int n = Narrowed(out var a);
                    for (int i = 0; i < n; i++) sum += {|#0:a[i]|}.Tag;
                    n = Aliased(out var b);
                    for (int i = 0; i < n; i++) sum += {|#1:b[i]|}.Tag;
                    n = Deferred(out var c);
                    for (int i = 0; i < n; i++) sum += {|#2:c[i]|}.Tag;
                    n = Jumped(out var d);
                    for (int i = 0; i < n; i++) sum += {|#3:d[i]|}.Tag;
                    n = Swapped(out var e);
                    for (int i = 0; i < n; i++) sum += {|#4:e[i]|}.Tag;
                    n = Fetch(out var f);
                    for (int i = 0; i < n; i++) sum += {|#5:f[i]|}.Tag;
                    return sum;
                }
            }

            sealed class Wider : Directory
            {
                public Wider(BinaryReader reader) : base(reader) { }

                public override int Fetch(out Entry[] entries) { entries = new Entry[1]; return reader.ReadInt32(); }
            }
            """;

        DiagnosticResult Index(int location, string method, string read, int line, string buffer) =>
            VerifyCS.Diagnostic("SBD2001").WithLocation(location).WithArguments("i", $"{method} (BinaryReader.{read} (line {line}))", $"{buffer}[i]", $"with no check against '{buffer}.Length'");

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Index(0, "Narrowed", "ReadInt32", 12, "a"),
            Index(1, "Aliased", "ReadUInt16", 14, "b"),
            Index(2, "Deferred", "ReadInt32", 16, "c"),
            Index(3, "Jumped", "ReadInt32", 23, "d"),
            Index(4, "Swapped", "ReadUInt16", 32, "e"),
            Index(5, "Fetch", "ReadUInt16", 34, "f"));
    }
}
