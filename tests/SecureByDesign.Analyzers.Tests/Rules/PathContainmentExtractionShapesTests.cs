using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.PathContainmentAnalyzer,
    SecureByDesign.Analyzers.PathContainmentFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1006 on the shapes archive libraries extract with: a root given its separator after a test of its last
/// character, a check the caller can switch off with an option, and a path returned through an out parameter.
/// </summary>
public class PathContainmentExtractionShapesTests
{
    private const string Advice = "check that Path.GetFullPath of it starts with the root directory and a trailing separator before writing";

    private static DiagnosticResult Write(int location, string path, string origin, string sink) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments($"Path '{path}' from {origin} reaches '{sink}' with no containment check", Advice);

    private static DiagnosticResult Root(int location, string check, string root) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(
            $"Containment check '{check}' compares with root '{root}', which is not known to end with a directory separator ('/data/out' accepts '/data/outside')",
            "append Path.DirectorySeparatorChar to the root");

    [Fact]
    public async Task RootGivenItsSeparatorAfterATestOfItsLastCharacter_IsQuiet()
    {
        // The destination made to end with a separator by testing its last character, as extraction code often does.
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            static class Extraction
            {
                public static void LastByLength(ZipArchiveEntry entry, string destinationDirectory)
                {
                    var fullDestination = Path.GetFullPath(destinationDirectory);
                    if (fullDestination[fullDestination.Length - 1] != Path.DirectorySeparatorChar)
                    {
                        fullDestination += Path.DirectorySeparatorChar;
                    }

                    var target = Path.GetFullPath(Path.Combine(fullDestination, entry.FullName));
                    if (!target.StartsWith(fullDestination, StringComparison.Ordinal))
                    {
                        throw new IOException("Entry is outside the destination.");
                    }

                    entry.ExtractToFile(target, true);
                }

                public static void LastByHat(ZipArchiveEntry entry, string destinationDirectory)
                {
                    var fullDestination = Path.GetFullPath(destinationDirectory);
                    if ('/' != fullDestination[^1]) fullDestination += "/";
                    var target = Path.GetFullPath(Path.Combine(fullDestination, entry.FullName));
                    if (!target.StartsWith(fullDestination, StringComparison.Ordinal)) throw new IOException();
                    entry.ExtractToFile(target, true);
                }

                public static void EndsInSeparator(ZipArchiveEntry entry, string destinationDirectory)
                {
                    var fullDestination = Path.GetFullPath(destinationDirectory);
                    if (!Path.EndsInDirectorySeparator(fullDestination)) fullDestination = fullDestination + Path.DirectorySeparatorChar;
                    var target = Path.GetFullPath(Path.Combine(fullDestination, entry.FullName));
                    if (!target.StartsWith(fullDestination, StringComparison.Ordinal)) throw new IOException();
                    entry.ExtractToFile(target, true);
                }

                public static void FirstCharacter(ZipArchiveEntry entry, string destinationDirectory)
                {
                    var fullDestination = Path.GetFullPath(destinationDirectory);
                    if (fullDestination[0] != Path.DirectorySeparatorChar) fullDestination += Path.DirectorySeparatorChar;
                    var target = Path.GetFullPath(Path.Combine(fullDestination, entry.FullName));
                    if (!target.StartsWith({|#0:fullDestination|}, StringComparison.Ordinal)) throw new IOException();
                    entry.ExtractToFile(target, true);
                }

                public static void WhenPresent(ZipArchiveEntry entry, string destinationDirectory)
                {
                    var fullDestination = Path.GetFullPath(destinationDirectory);
                    if (fullDestination[fullDestination.Length - 1] == Path.DirectorySeparatorChar) fullDestination += Path.DirectorySeparatorChar;
                    var target = Path.GetFullPath(Path.Combine(fullDestination, entry.FullName));
                    if (!target.StartsWith({|#1:fullDestination|}, StringComparison.Ordinal)) throw new IOException();
                    entry.ExtractToFile(target, true);
                }

                public static void AnotherLocalTested(ZipArchiveEntry entry, string destinationDirectory, string other)
                {
                    var fullDestination = Path.GetFullPath(destinationDirectory);
                    if (other[other.Length - 1] != Path.DirectorySeparatorChar) fullDestination += Path.DirectorySeparatorChar;
                    var target = Path.GetFullPath(Path.Combine(fullDestination, entry.FullName));
                    if (!target.StartsWith({|#2:fullDestination|}, StringComparison.Ordinal)) throw new IOException();
                    entry.ExtractToFile(target, true);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Root(0, "target.StartsWith(fullDestination, StringComparison.Ordinal)", "fullDestination"),
            Root(1, "target.StartsWith(fullDestination, StringComparison.Ordinal)", "fullDestination"),
            Root(2, "target.StartsWith(fullDestination, StringComparison.Ordinal)", "fullDestination"));
    }

    [Fact]
    public async Task CheckTheCallerCanSwitchOff_CountsWhereItRuns()
    {
        // ExtractContents(dest, allowParentTraversal: false): the library checks unless its caller asked it not to.
        const string source = """
            using System;
            using System.IO;
            using System.IO.Compression;

            class TarLikeArchive
            {
                private readonly bool allowParentTraversal;

                public TarLikeArchive(bool allowParentTraversal) => this.allowParentTraversal = allowParentTraversal;

                public bool AllowAbsolute { get; set; }

                public void ExtractEntry(string destDir, ZipArchiveEntry entry, bool allowTraversal)
                {
                    var destFile = Path.Combine(destDir, entry.FullName);
                    if (!allowTraversal && !Path.GetFullPath(destFile).StartsWith(destDir + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new InvalidDataException("Parent traversal in paths is not allowed");
                    }

                    entry.ExtractToFile(destFile, true);
                }

                public void ByField(string destDir, ZipArchiveEntry entry)
                {
                    var destFile = Path.Combine(destDir, entry.FullName);
                    if (!this.allowParentTraversal && !Path.GetFullPath(destFile).StartsWith(destDir + "/")) throw new InvalidDataException();
                    entry.ExtractToFile(destFile, true);
                }

                public void ByProperty(string destDir, ZipArchiveEntry entry)
                {
                    var destFile = Path.Combine(destDir, entry.FullName);
                    if (AllowAbsolute || Path.GetFullPath(destFile).StartsWith(destDir + "/"))
                    {
                        entry.ExtractToFile(destFile, true);
                    }
                }

                public void RootWithoutSeparator(string destDir, ZipArchiveEntry entry, bool allowTraversal)
                {
                    var destFile = Path.Combine(destDir, entry.FullName);
                    if (!allowTraversal && !Path.GetFullPath(destFile).StartsWith({|#0:destDir|}, StringComparison.OrdinalIgnoreCase)) throw new InvalidDataException();
                    entry.ExtractToFile(destFile, true);
                }

                public void ByTheContent(string destDir, ZipArchiveEntry entry)
                {
                    var destFile = Path.Combine(destDir, entry.FullName);
                    if (entry.Length > 0 && !Path.GetFullPath(destFile).StartsWith(destDir + "/")) throw new InvalidDataException();
                    entry.ExtractToFile({|#1:destFile|}, true);
                }

                public void SwitchedOnly(string destDir, ZipArchiveEntry entry, bool strict)
                {
                    var destFile = Path.Combine(destDir, entry.FullName);
                    if (strict && entry.FullName.Contains("..")) throw new InvalidDataException();
                    entry.ExtractToFile({|#2:destFile|}, true);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            Root(0, "Path.GetFullPath(destFile).StartsWith(destDir, StringComp...", "destDir"),
            Write(1, "destFile", "ZipArchiveEntry.FullName (line 49)", "ZipFileExtensions.ExtractToFile"),
            Write(2, "destFile", "ZipArchiveEntry.FullName (line 56)", "ZipFileExtensions.ExtractToFile"));
    }

    [Fact]
    public async Task PathReturnedThroughAnOutParameter_FromAConditional_IsFlagged()
    {
        // The library's own entry type builds the output name into an out parameter, choosing between two paths.
        const string source = """
            using System;
            using System.IO;

            namespace Ionic.Zip
            {
                public class ZipEntry
                {
                    public string FileName { get; set; }
                    public bool IsDirectory { get; set; }
                    public bool FlattenFolders { get; set; }

                    public bool IsDoneWithOutputToBaseDir(string baseDir, out string outFileName)
                    {
                        var f = FileName.Replace('\\', '/');
                        outFileName = FlattenFolders
                            ? Path.Combine(baseDir, Path.GetFileName(f))
                            : Path.Combine(baseDir, f);
                        if (IsDirectory)
                        {
                            Directory.CreateDirectory({|#0:outFileName|});
                            return true;
                        }

                        return false;
                    }

                    public bool Checked(string baseDir, out string outFileName)
                    {
                        var f = FileName.Replace('\\', '/');
                        outFileName = FlattenFolders
                            ? Path.Combine(baseDir, Path.GetFileName(f))
                            : Path.Combine(baseDir, f);
                        if (!Path.GetFullPath(outFileName).StartsWith(Path.GetFullPath(baseDir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new InvalidDataException("Entry " + FileName + " is outside " + baseDir);
                        }

                        if (IsDirectory)
                        {
                            Directory.CreateDirectory(outFileName);
                            return true;
                        }

                        return false;
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Write(0, "outFileName", "ZipEntry.FileName (line 14)", "Directory.CreateDirectory"));
    }
}
