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
}
