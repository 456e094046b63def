using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.PathContainmentAnalyzer,
    SecureByDesign.Analyzers.PathContainmentFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1006 with the archive libraries' entry names as the paths: each library is a stand-in declared in its own
/// namespace (the catalog names the types by full name, so the stand-ins are what a consumer, or the library itself, sees).
/// </summary>
public class PathContainmentLibrariesTests
{
    private const string Advice = "check that Path.GetFullPath of it starts with the root directory and a trailing separator before writing";

    private const string SharpZipLib = """

        namespace ICSharpCode.SharpZipLib.Zip
        {
            public class ZipEntry { public string Name { get; set; } public bool IsDirectory { get; set; } public string Comment { get; set; } }
            public class ZipFile : System.Collections.IEnumerable
            {
                public System.Collections.IEnumerator GetEnumerator() => null;
                public System.IO.Stream GetInputStream(ZipEntry entry) => null;
            }
        }

        namespace ICSharpCode.SharpZipLib.Tar
        {
            public class TarEntry { public string Name { get; set; } }
            public class TarInputStream : System.IO.Stream
            {
                public TarEntry GetNextEntry() => null;
                public override bool CanRead => true;
                public override bool CanSeek => false;
                public override bool CanWrite => false;
                public override long Length => 0;
                public override long Position { get; set; }
                public override void Flush() { }
                public override int Read(byte[] buffer, int offset, int count) => 0;
                public override long Seek(long offset, System.IO.SeekOrigin origin) => 0;
                public override void SetLength(long value) { }
                public override void Write(byte[] buffer, int offset, int count) { }
            }
        }
        """;

    private const string SharpCompress = """

        namespace SharpCompress.Common
        {
            public interface IEntry { string Key { get; } string LinkTarget { get; } bool IsDirectory { get; } long Size { get; } }
            public class ExtractionOptions { public bool Overwrite { get; set; } }
        }

        namespace SharpCompress.Archives
        {
            using SharpCompress.Common;
            public interface IArchiveEntry : IEntry { }
            public interface IArchive { System.Collections.Generic.IEnumerable<IArchiveEntry> Entries { get; } }
            public static class IArchiveEntryExtensions
            {
                public static void WriteToFile(this IArchiveEntry entry, string destinationFileName, ExtractionOptions options = null) { }
                public static void WriteToDirectory(this IArchiveEntry entry, string destinationDirectory, ExtractionOptions options = null) { }
            }
        }

        namespace SharpCompress.Archives.Zip
        {
            public class ZipArchiveEntry : SharpCompress.Archives.IArchiveEntry
            {
                public string Key => null;
                public string LinkTarget => null;
                public bool IsDirectory => false;
                public long Size => 0;
            }
        }

        namespace SharpCompress.Readers
        {
            using SharpCompress.Common;
            public interface IReader { IEntry Entry { get; } bool MoveToNextEntry(); }
            public static class IReaderExtensions
            {
                public static void WriteEntryToFile(this IReader reader, string destinationFileName, ExtractionOptions options = null) { }
                public static void WriteEntryToDirectory(this IReader reader, string destinationDirectory, ExtractionOptions options = null) { }
            }
        }
        """;

    private const string DotNetZip = """

        namespace Ionic.Zip
        {
            public class ZipEntry
            {
                public string FileName { get; set; }
                public bool IsDirectory { get; set; }
                public void Extract(System.IO.Stream stream) { }
            }

            public class ZipFile : System.Collections.Generic.IEnumerable<ZipEntry>
            {
                public System.Collections.Generic.IEnumerator<ZipEntry> GetEnumerator() => null;
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => null;
            }
        }
        """;

    private static DiagnosticResult Write(int location, string path, string origin, string sink) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments($"Path '{path}' from {origin} reaches '{sink}' with no containment check", Advice);

    [Fact]
    public async Task SharpZipLibEntryNames_AreFlagged()
    {
        const string source = """
            using System.IO;
            using ICSharpCode.SharpZipLib.Tar;
            using ICSharpCode.SharpZipLib.Zip;

            class Extractor
            {
                void Zip(ZipFile archive, string dest)
                {
                    foreach (ZipEntry entry in archive)
                    {
                        var target = Path.Combine(dest, entry.Name);
                        if (entry.IsDirectory)
                        {
                            Directory.CreateDirectory({|#0:target|});
                            continue;
                        }

                        using var output = File.Create({|#1:target|});
                        archive.GetInputStream(entry).CopyTo(output);
                    }
                }

                void Tar(TarInputStream tar, string dest)
                {
                    TarEntry entry;
                    while ((entry = tar.GetNextEntry()) != null)
                    {
                        using var output = new FileStream({|#2:Path.Combine(dest, entry.Name)|}, FileMode.Create);
                        tar.CopyTo(output);
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source + SharpZipLib,
            Write(0, "target", "ZipEntry.Name (line 11)", "Directory.CreateDirectory"),
            Write(1, "target", "ZipEntry.Name (line 11)", "File.Create"),
            Write(2, "Path.Combine(dest, entry.Name)", "TarEntry.Name (line 28)", "FileStream.ctor"));
    }

    [Fact]
    public async Task SharpZipLibEntryNames_Contained_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using ICSharpCode.SharpZipLib.Tar;
            using ICSharpCode.SharpZipLib.Zip;

            class Extractor
            {
                void Zip(ZipFile archive, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    foreach (ZipEntry entry in archive)
                    {
                        var target = Path.GetFullPath(Path.Combine(fullDest, entry.Name));
                        if (!target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new IOException("Entry is outside the destination: " + entry.Name);
                        }

                        if (entry.IsDirectory)
                        {
                            Directory.CreateDirectory(target);
                            continue;
                        }

                        using var output = File.Create(target);
                        archive.GetInputStream(entry).CopyTo(output);
                    }
                }

                void Tar(TarInputStream tar, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    TarEntry entry;
                    while ((entry = tar.GetNextEntry()) != null)
                    {
                        var target = Path.GetFullPath(Path.Combine(fullDest, entry.Name));
                        if (!target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                        using var output = new FileStream(target, FileMode.Create);
                        tar.CopyTo(output);
                    }
                }

                void Comment(ZipEntry entry, string dest) => File.WriteAllText(Path.Combine(dest, "comment.txt"), entry.Comment);
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source + SharpZipLib);
    }

    [Fact]
    public async Task SharpCompressEntryKeys_AreFlagged_ThroughTheInterfaceAndItsImplementations()
    {
        const string source = """
            using System.IO;
            using SharpCompress.Archives;
            using SharpCompress.Archives.Zip;
            using SharpCompress.Readers;

            class Extractor
            {
                void Archive(IArchive archive, string dest)
                {
                    foreach (var entry in archive.Entries)
                    {
                        entry.WriteToFile({|#0:Path.Combine(dest, entry.Key)|});
                    }
                }

                void Reader(IReader reader, string dest)
                {
                    while (reader.MoveToNextEntry())
                    {
                        if (reader.Entry.IsDirectory)
                        {
                            Directory.CreateDirectory({|#1:Path.Combine(dest, reader.Entry.Key)|});
                            continue;
                        }

                        reader.WriteEntryToFile({|#2:Path.Combine(dest, reader.Entry.Key)|});
                    }
                }

                void Concrete(ZipArchiveEntry entry, string dest)
                {
                    File.Create({|#3:dest + "/" + entry.Key|}).Dispose();
                }

                void Link(ZipArchiveEntry entry, string dest)
                {
                    File.Copy(Path.Combine(dest, "staged"), {|#4:Path.Combine(dest, entry.LinkTarget)|});
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source + SharpCompress,
            Write(0, "Path.Combine(dest, entry.Key)", "IEntry.Key (line 12)", "IArchiveEntryExtensions.WriteToFile"),
            Write(1, "Path.Combine(dest, reader.Entry.Key)", "IEntry.Key (line 22)", "Directory.CreateDirectory"),
            Write(2, "Path.Combine(dest, reader.Entry.Key)", "IEntry.Key (line 26)", "IReaderExtensions.WriteEntryToFile"),
            Write(3, "dest + \"/\" + entry.Key", "ZipArchiveEntry.Key (line 32)", "File.Create"),
            Write(4, "Path.Combine(dest, entry.LinkTarget)", "ZipArchiveEntry.LinkTarget (line 37)", "File.Copy"));
    }

    [Fact]
    public async Task SharpCompressEntryKeys_Contained_OrExtractedByTheLibrary_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using SharpCompress.Archives;
            using SharpCompress.Archives.Zip;
            using SharpCompress.Readers;

            class Extractor
            {
                void Archive(IArchive archive, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    foreach (var entry in archive.Entries)
                    {
                        var target = Path.GetFullPath(Path.Combine(fullDest, entry.Key));
                        if (!target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new IOException($"Entry '{entry.Key}' is outside the destination.");
                        }

                        entry.WriteToFile(target);
                    }
                }

                void Reader(IReader reader, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    while (reader.MoveToNextEntry())
                    {
                        var target = Path.GetFullPath(Path.Combine(fullDest, reader.Entry.Key));
                        if (!target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                        if (reader.Entry.IsDirectory)
                        {
                            Directory.CreateDirectory(target);
                            continue;
                        }

                        reader.WriteEntryToFile(target);
                    }
                }

                void Concrete(ZipArchiveEntry entry, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    var target = Path.GetFullPath(dest + "/" + entry.Key);
                    if (target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        File.Create(target).Dispose();
                    }
                }

                void ByTheLibrary(IArchive archive, IReader reader, string dest)
                {
                    foreach (var entry in archive.Entries)
                    {
                        entry.WriteToDirectory(dest);
                    }

                    while (reader.MoveToNextEntry())
                    {
                        reader.WriteEntryToDirectory(dest);
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source + SharpCompress);
    }

    [Fact]
    public async Task DotNetZipFileNames_AreFlagged()
    {
        const string source = """
            using System.IO;
            using Ionic.Zip;

            class Extractor
            {
                void Extract(ZipFile archive, string dest)
                {
                    foreach (var entry in archive)
                    {
                        var target = Path.Combine(dest, entry.FileName);
                        if (entry.IsDirectory)
                        {
                            Directory.CreateDirectory({|#0:target|});
                        }
                        else
                        {
                            using var output = File.Create({|#1:target|});
                            entry.Extract(output);
                        }
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source + DotNetZip,
            Write(0, "target", "ZipEntry.FileName (line 10)", "Directory.CreateDirectory"),
            Write(1, "target", "ZipEntry.FileName (line 10)", "File.Create"));
    }

    [Fact]
    public async Task DotNetZipFileNames_Contained_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using Ionic.Zip;

            class Extractor
            {
                void Extract(ZipFile archive, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    foreach (var entry in archive)
                    {
                        var target = Path.GetFullPath(Path.Combine(fullDest, entry.FileName));
                        if (!target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new IOException("Entry is outside the destination: " + entry.FileName);
                        }

                        if (entry.IsDirectory)
                        {
                            Directory.CreateDirectory(target);
                        }
                        else
                        {
                            using var output = File.Create(target);
                            entry.Extract(output);
                        }
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source + DotNetZip);
    }

    [Fact]
    public async Task TheLibraryItself_ExtractingWithItsOwnEntries_IsFlagged()
    {
        const string source = """
            using System.IO;

            namespace ICSharpCode.SharpZipLib.Zip
            {
                public class ZipEntry { public string Name { get; set; } }

                public class FastZip
                {
                    public void ExtractEntry(ZipEntry entry, Stream data, string targetDirectory)
                    {
                        var name = entry.Name.Replace('\\', '/');
                        using var output = File.Create({|#0:Path.Combine(targetDirectory, name)|});
                        data.CopyTo(output);
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, Write(0, "Path.Combine(targetDirectory, name)", "ZipEntry.Name (line 11)", "File.Create"));
    }

    [Fact]
    public async Task TheLibraryItself_CheckingItsOwnEntries_IsQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            namespace ICSharpCode.SharpZipLib.Zip
            {
                public class ZipEntry { public string Name { get; set; } }

                public class FastZip
                {
                    public void ExtractEntry(ZipEntry entry, Stream data, string targetDirectory)
                    {
                        var root = Path.GetFullPath(targetDirectory);
                        var target = Path.GetFullPath(Path.Combine(root, entry.Name.Replace('\\', '/')));
                        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new InvalidDataException("Entry " + entry.Name + " would be extracted outside " + targetDirectory);
                        }

                        using var output = File.Create(target);
                        data.CopyTo(output);
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ContentNamesFromEditorConfig_AreFlagged_OnTheTypeAndItsImplementations()
    {
        const string source = """
            using System.IO;

            namespace Vendor.Packages
            {
                public interface IPackagePart { string PartPath { get; } }
                public class PackageItem { public string RelativePath { get; set; } public string Title { get; set; } }
                public class FilePart : IPackagePart { public string PartPath => null; }

                class Installer
                {
                    void Install(PackageItem item, FilePart part, string root)
                    {
                        File.WriteAllText({|#0:Path.Combine(root, item.RelativePath)|}, "");
                        Directory.CreateDirectory({|#1:Path.Combine(root, part.PartPath)|});
                        File.WriteAllText(Path.Combine(root, item.Title), "");
                    }
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.content_names = Vendor.Packages.PackageItem.RelativePath, P:Vendor.Packages.IPackagePart.PartPath\n"));
        test.ExpectedDiagnostics.Add(Write(0, "Path.Combine(root, item.RelativePath)", "PackageItem.RelativePath (line 13)", "File.WriteAllText"));
        test.ExpectedDiagnostics.Add(Write(1, "Path.Combine(root, part.PartPath)", "FilePart.PartPath (line 14)", "Directory.CreateDirectory"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task ContentNamesFromEditorConfig_Contained_OrNotConfigured_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;

            namespace Vendor.Packages
            {
                public class PackageItem { public string RelativePath { get; set; } }
                public class Manifest { public string RelativePath { get; set; } }

                class Installer
                {
                    void Install(PackageItem item, string root)
                    {
                        var full = Path.GetFullPath(Path.Combine(root, item.RelativePath));
                        if (!full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new InvalidDataException();
                        File.WriteAllText(full, "");
                    }

                    void Other(Manifest manifest, string root) => File.WriteAllText(Path.Combine(root, manifest.RelativePath), "");
                }
            }
            """;

        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nsecure_by_design.content_names = P:Vendor.Packages.PackageItem.RelativePath\n"));
        await VerifyCS.RunAsync(test);
    }

    [Fact]
    public async Task WritesThroughHelpers_AreFlaggedAtTheCall()
    {
        const string source = """
            using System.IO;
            using SharpCompress.Readers;

            class Extractor
            {
                void Extract(IReader reader, string dest)
                {
                    while (reader.MoveToNextEntry())
                    {
                        WriteEntry({|#0:Path.Combine(dest, reader.Entry.Key)|}, Stream.Null);
                        Prepare({|#1:dest + "/" + reader.Entry.Key|});
                    }
                }

                private static void WriteEntry(string path, Stream data)
                {
                    using var output = File.Create(path);
                    data.CopyTo(output);
                }

                private static void Prepare(string directory) => MakeDirectory(directory, true);

                private static void MakeDirectory(string path, bool recurse) => Directory.CreateDirectory(path);
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source + SharpCompress,
            Helper(0, "Path.Combine(dest, reader.Entry.Key)", "IEntry.Key (line 10)", "Extractor.WriteEntry", "File.Create"),
            Helper(1, "dest + \"/\" + reader.Entry.Key", "IEntry.Key (line 11)", "Extractor.Prepare", "Directory.CreateDirectory"));
    }

    [Fact]
    public async Task WritesThroughHelpers_CheckedByTheCallerOrTheHelper_OrOnlyReading_AreQuiet()
    {
        const string source = """
            using System;
            using System.IO;
            using SharpCompress.Readers;

            class Extractor
            {
                void Extract(IReader reader, string dest)
                {
                    var fullDest = Path.GetFullPath(dest);
                    while (reader.MoveToNextEntry())
                    {
                        var target = Path.GetFullPath(Path.Combine(fullDest, reader.Entry.Key));
                        if (!target.StartsWith(fullDest + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new IOException();
                        WriteEntry(target, Stream.Null);
                    }
                }

                void Helpers(IReader reader, string dest)
                {
                    WriteChecked(dest, Path.Combine(dest, reader.Entry.Key), Stream.Null);
                    Log(reader.Entry.Key);
                    Compare(Path.Combine(dest, reader.Entry.Key));
                }

                private static void WriteEntry(string path, Stream data)
                {
                    using var output = File.Create(path);
                    data.CopyTo(output);
                }

                private static void WriteChecked(string root, string path, Stream data)
                {
                    var full = Path.GetFullPath(path);
                    if (!full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new IOException();
                    using var output = File.Create(full);
                    data.CopyTo(output);
                }

                private static void Log(string name) => File.AppendAllText("/var/log/agent/extract.log", name + Environment.NewLine);

                private static void Compare(string path)
                {
                    using var existing = File.Open(path, FileMode.Open, FileAccess.Read);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source + SharpCompress);
    }

    [Fact]
    public async Task WriteThroughHelper_FixChecksThePathAtTheCall()
    {
        const string source = """
            using System;
            using System.IO;
            using Ionic.Zip;

            class Extractor
            {
                void Extract(ZipFile archive, string root)
                {
                    foreach (var entry in archive)
                    {
                        var target = Path.Combine(root, entry.FileName);
                        Save({|#0:target|}, entry);
                    }
                }

                private static void Save(string path, ZipEntry entry)
                {
                    using var output = File.Create(path);
                    entry.Extract(output);
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.IO;
            using Ionic.Zip;

            class Extractor
            {
                void Extract(ZipFile archive, string root)
                {
                    foreach (var entry in archive)
                    {
                        var target = Path.Combine(root, entry.FileName);
                        var fullPath = Path.GetFullPath(target);
                        if (!fullPath.StartsWith(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw new InvalidDataException("Path 'target' is outside 'root'.");
                        }

                        Save(fullPath, entry);
                    }
                }

                private static void Save(string path, ZipEntry entry)
                {
                    using var output = File.Create(path);
                    entry.Extract(output);
                }
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(source + DotNetZip, [Helper(0, "target", "ZipEntry.FileName (line 11)", "Extractor.Save", "File.Create")], fixedSource + DotNetZip);
    }

    private static DiagnosticResult Helper(int location, string path, string origin, string helper, string sink) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments($"Path '{path}' from {origin} reaches '{helper}', which writes it with '{sink}', with no containment check", Advice);
}
