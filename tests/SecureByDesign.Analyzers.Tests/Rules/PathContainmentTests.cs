using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.PathContainmentAnalyzer,
    SecureByDesign.Analyzers.PathContainmentFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class PathContainmentTests
{
    private const string Advice = "check that Path.GetFullPath of it starts with the root directory and a trailing separator before writing";

    private static DiagnosticResult Write(int location, string path, string origin, string sink) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments($"Path '{path}' from {origin} reaches '{sink}' with no containment check", Advice);

    private static DiagnosticResult Root(int location, string check, string root, string example) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(
            $"Containment check '{check}' compares with root '{root}', which is not known to end with a directory separator ({example})",
            "append Path.DirectorySeparatorChar to the root");

    [Fact]
    public async Task EntryNamesCombinedIntoPaths_AreFlagged()
    {
        const string source = """
            using System.IO;
            using System.IO.Compression;
            using System.Formats.Tar;

            class Extractor
            {
                void Zip(ZipArchive archive, string root)
                {
                    foreach (var entry in archive.Entries)
                    {
                        var target = Path.Combine(root, entry.FullName);
                        entry.ExtractToFile({|#0:target|}, true);
                    }
                }

                void Tar(TarReader reader, string root)
                {
                    TarEntry? entry;
                    while ((entry = reader.GetNextEntry()) is not null)
                    {
                        Directory.CreateDirectory({|#1:Path.Join(root, entry.Name)|});
                        using var file = new FileStream({|#2:root + "/" + entry.Name|}, FileMode.Create);
                    }
                }

                void Copy(ZipArchiveEntry entry, string root, string staged)
                {
                    File.Copy(staged, {|#3:Path.Combine(root, entry.Name)|});
                    File.WriteAllBytes({|#4:Path.Combine(root, entry.FullName + ".bak")|}, new byte[0]);
                }

                void Text(TextReader manifest, string root)
                {
                    var name = manifest.ReadLine()!;
                    File.WriteAllText({|#5:Path.Combine(root, name)|}, "");
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Write(0, "target", "ZipArchiveEntry.FullName (line 11)", "ZipFileExtensions.ExtractToFile"),
            Write(1, "Path.Join(root, entry.Name)", "TarEntry.Name (line 21)", "Directory.CreateDirectory"),
            Write(2, "root + \"/\" + entry.Name", "TarEntry.Name (line 22)", "FileStream.ctor"),
            Write(3, "Path.Combine(root, entry.Name)", "ZipArchiveEntry.Name (line 28)", "File.Copy"),
            Write(4, "Path.Combine(root, entry.FullName + \".bak\")", "ZipArchiveEntry.FullName (line 29)", "File.WriteAllBytes"),
            Write(5, "Path.Combine(root, name)", "TextReader.ReadLine (line 34)", "File.WriteAllText"));
    }

    [Fact]
    public async Task ContainedPaths_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                const string Staging = "/var/lib/agent/staging/";

                void Separator(ZipArchive archive, string root)
                {
                    var prefix = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
                    foreach (var entry in archive.Entries)
                    {
                        var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                        if (!full.StartsWith(prefix, StringComparison.Ordinal)) throw new InvalidDataException();
                        entry.ExtractToFile(full);
                    }
                }

                void Trimmed(ZipArchiveEntry entry, string root)
                {
                    var target = Path.Combine(root, entry.FullName);
                    if (!Path.GetFullPath(target).StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        return;
                    }

                    File.WriteAllText(target, "");
                }

                void Constant(ZipArchiveEntry entry)
                {
                    var target = Path.Combine(Staging, entry.FullName);
                    var full = Path.GetFullPath(target);
                    if (full.StartsWith(Staging, StringComparison.Ordinal))
                    {
                        File.Create(full).Dispose();
                    }
                }

                void Interpolated(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!full.StartsWith($"{root}{Path.DirectorySeparatorChar}", StringComparison.OrdinalIgnoreCase)) throw new InvalidDataException();
                    Directory.CreateDirectory(full);
                }

                void Whole(string archive, string root) => ZipFile.ExtractToDirectory(archive, root);

                Stream Read(ZipArchiveEntry entry, string root) => new FileStream(Path.Combine(root, entry.FullName), FileMode.Open, FileAccess.Read);

                void Trusted(string root) => File.WriteAllText(Path.Combine(root, "state.json"), "{}");
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ChecksWithConditionalArguments_StillCount()
    {
        // A ?: or ?? among the arguments makes the graph capture the receiver: the check still holds for it.
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Comparison(ZipArchiveEntry e, string root)
                {
                    var rootFull = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
                    var full = Path.GetFullPath(Path.Combine(rootFull, e.FullName));
                    if (!full.StartsWith(rootFull, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(full, true);
                }

                void Coalesce(ZipArchiveEntry e, string? root)
                {
                    var full = Path.GetFullPath(Path.Combine(root ?? "/tmp", e.FullName));
                    if (!full.StartsWith((root ?? "/tmp") + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(full, true);
                }

                void CoalescedRoot(ZipArchiveEntry e, string? root)
                {
                    var full = Path.GetFullPath(Path.Combine(root ?? "/tmp/", e.FullName));
                    if (!full.StartsWith({|#0:root ?? "/tmp/"|}, StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(full, true);
                }
            }
            """;

        // A parameter on one side of ?? may lack the separator: the check counts, and its root is what is reported.
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Root(0, "full.StartsWith(root ?? \"/tmp/\", StringComparison.Ordinal)", "root ?? \"/tmp/\"", "'/data/out' accepts '/data/outside'"));
    }

    [Fact]
    public async Task RootGivenItsSeparatorWhenMissing_IsQuiet()
    {
        // if (!root.EndsWith(separator)) root += separator; before the check: the root ends with one.
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Compound(ZipArchiveEntry e, string root)
                {
                    var rootFull = Path.GetFullPath(root);
                    if (!rootFull.EndsWith(Path.DirectorySeparatorChar)) rootFull += Path.DirectorySeparatorChar;
                    var dest = Path.GetFullPath(Path.Combine(rootFull, e.FullName));
                    if (!dest.StartsWith(rootFull, StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(dest, true);
                }

                void Concatenated(ZipArchiveEntry e, string root)
                {
                    var rootFull = Path.GetFullPath(root);
                    if (!rootFull.EndsWith("/"))
                    {
                        rootFull = rootFull + "/";
                    }

                    var dest = Path.GetFullPath(Path.Combine(rootFull, e.FullName));
                    if (!dest.StartsWith(rootFull, StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(dest, true);
                }

                void OneBranch(ZipArchiveEntry e, string root, bool strict)
                {
                    var rootFull = Path.GetFullPath(root);
                    if (strict)
                    {
                        if (!rootFull.EndsWith(Path.DirectorySeparatorChar)) rootFull += Path.DirectorySeparatorChar;
                    }

                    var dest = Path.GetFullPath(Path.Combine(rootFull, e.FullName));
                    if (!dest.StartsWith({|#0:rootFull|}, StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(dest, true);
                }

                void AssignedAgain(ZipArchiveEntry e, string root, string other)
                {
                    var rootFull = Path.GetFullPath(root);
                    if (!rootFull.EndsWith(Path.DirectorySeparatorChar)) rootFull += Path.DirectorySeparatorChar;
                    rootFull = other;
                    var dest = Path.GetFullPath(Path.Combine(rootFull, e.FullName));
                    if (!dest.StartsWith({|#1:rootFull|}, StringComparison.Ordinal)) throw new InvalidDataException();
                    e.ExtractToFile(dest, true);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Root(0, "dest.StartsWith(rootFull, StringComparison.Ordinal)", "rootFull", "'/data/out' accepts '/data/outside'"),
            Root(1, "dest.StartsWith(rootFull, StringComparison.Ordinal)", "rootFull", "'/data/out' accepts '/data/outside'"));
    }

    [Fact]
    public async Task FullPathAgainstABase_IsAContainmentCheck()
    {
        // Path.GetFullPath(path, basePath): the path normalized is its first argument.
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Based(ZipArchiveEntry entry, string root)
                {
                    var rootFull = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
                    var full = Path.GetFullPath(entry.FullName, rootFull);
                    if (!full.StartsWith(rootFull, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile(full, true);
                }

                void BaseAsRoot(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(entry.FullName, root);
                    if (!full.StartsWith({|#0:Path.GetFullPath(root, "/")|}, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile(full, true);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Root(0, "full.StartsWith(Path.GetFullPath(root, \"/\"), StringCompar...", "Path.GetFullPath(root, \"/\")", "'/data/out' accepts '/data/outside'"));
    }
    [Fact]
    public async Task RootWithoutSeparator_IsFlaggedAtTheCheck()
    {
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Parameter(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!full.StartsWith({|#0:root|}, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile(full);
                }

                void Constant(ZipArchiveEntry entry)
                {
                    var full = Path.GetFullPath(Path.Combine("/data/out", entry.FullName));
                    if (!full.StartsWith({|#1:"/data/out"|})) throw new InvalidDataException();
                    entry.ExtractToFile(full);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Root(0, "full.StartsWith(root, StringComparison.Ordinal)", "root", "'/data/out' accepts '/data/outside'"),
            Root(1, "full.StartsWith(\"/data/out\")", "\"/data/out\"", "'/data/out' accepts '/data/outside'"));
    }

    [Fact]
    public async Task ChecksThatDoNotCover_TheWrite_AreFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void OtherPath(ZipArchiveEntry entry, ZipArchiveEntry other, string root)
                {
                    var prefix = root + Path.DirectorySeparatorChar;
                    var checkedPath = Path.GetFullPath(Path.Combine(root, other.FullName));
                    if (!checkedPath.StartsWith(prefix, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile({|#0:Path.Combine(root, entry.FullName)|});
                }

                void OneBranch(ZipArchiveEntry entry, string root, bool strict)
                {
                    var prefix = root + Path.DirectorySeparatorChar;
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (strict && !full.StartsWith(prefix, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile({|#1:full|});
                }

                void NotNormalized(ZipArchiveEntry entry, string root)
                {
                    var target = Path.Combine(root, entry.FullName);
                    if (!target.StartsWith(root + "/", StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile({|#2:target|});
                }

                void Reassigned(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!full.StartsWith(root + "/", StringComparison.Ordinal)) throw new InvalidDataException();
                    full = Path.Combine(root, entry.Name);
                    entry.ExtractToFile({|#4:full|});
                }

                void AfterTheWrite(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    entry.ExtractToFile({|#3:full|});
                    if (!full.StartsWith(root + "/", StringComparison.Ordinal)) throw new InvalidDataException();
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Write(0, "Path.Combine(root, entry.FullName)", "ZipArchiveEntry.FullName (line 12)", "ZipFileExtensions.ExtractToFile"),
            Write(1, "full", "ZipArchiveEntry.FullName (line 18)", "ZipFileExtensions.ExtractToFile"),
            Write(2, "target", "ZipArchiveEntry.FullName (line 25)", "ZipFileExtensions.ExtractToFile"),
            Write(3, "full", "ZipArchiveEntry.FullName (line 40)", "ZipFileExtensions.ExtractToFile"),
            Write(4, "full", "ZipArchiveEntry.Name (line 34)", "ZipFileExtensions.ExtractToFile"));
    }

    [Fact]
    public async Task MissingCheck_FixInsertsContainmentCheck()
    {
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Extract(ZipArchive archive, string root)
                {
                    foreach (var entry in archive.Entries)
                    {
                        var target = Path.Combine(root, entry.FullName);
                        entry.ExtractToFile({|#0:target|}, true);
                    }
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Extract(ZipArchive archive, string root)
                {
                    foreach (var entry in archive.Entries)
                    {
                        var target = Path.Combine(root, entry.FullName);
                        var fullPath = Path.GetFullPath(target);
                        if (!fullPath.StartsWith(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new InvalidDataException("Path 'target' is outside 'root'.");
                        }

                        entry.ExtractToFile(fullPath, true);
                    }
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(source, [Write(0, "target", "ZipArchiveEntry.FullName (line 11)", "ZipFileExtensions.ExtractToFile")], fixedSource);
    }

    [Fact]
    public async Task MissingChecks_FixAllGivesEachWriteItsOwnCheck()
    {
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Extract(ZipArchiveEntry entry, string root, string staging)
                {
                    File.WriteAllText({|#0:Path.Combine(root, entry.FullName)|}, "");
                    File.WriteAllText({|#1:Path.Combine(staging, entry.Name)|}, "");
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Extract(ZipArchiveEntry entry, string root, string staging)
                {
                    var fullPath = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!fullPath.StartsWith(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException("Path 'Path.Combine(root, entry.FullName)' is outside 'root'.");
                    }

                    File.WriteAllText(fullPath, "");
                    var fullPath2 = Path.GetFullPath(Path.Combine(staging, entry.Name));
                    if (!fullPath2.StartsWith(Path.GetFullPath(staging).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException("Path 'Path.Combine(staging, entry.Name)' is outside 'staging'.");
                    }

                    File.WriteAllText(fullPath2, "");
                }
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                Write(0, "Path.Combine(root, entry.FullName)", "ZipArchiveEntry.FullName (line 9)", "File.WriteAllText"),
                Write(1, "Path.Combine(staging, entry.Name)", "ZipArchiveEntry.Name (line 10)", "File.WriteAllText"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task RootWithoutSeparator_FixAppendsSeparator()
    {
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Extract(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!full.StartsWith({|#0:root|}, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile(full);
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class Extractor
            {
                void Extract(ZipArchiveEntry entry, string root)
                {
                    var full = Path.GetFullPath(Path.Combine(root, entry.FullName));
                    if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new InvalidDataException();
                    entry.ExtractToFile(full);
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(source, [Root(0, "full.StartsWith(root, StringComparison.Ordinal)", "root", "'/data/out' accepts '/data/outside'")], fixedSource);
    }
}
