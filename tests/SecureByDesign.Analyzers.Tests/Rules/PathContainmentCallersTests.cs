using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.PathContainmentAnalyzer,
    SecureByDesign.Analyzers.PathContainmentFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1006 in a private extraction helper that transforms a file entry's name one way and a folder entry's another,
/// and leaves the name as it is for an entry that is neither: quiet when every caller calls it only for a file or a
/// folder, flagged when a caller may pass any entry (or the helper can be called from outside).
/// </summary>
public class PathContainmentCallersTests
{
    private const string Advice = "check that Path.GetFullPath of it starts with the root directory and a trailing separator before writing";

    private const string Entries = """

        namespace ICSharpCode.SharpZipLib.Zip
        {
            public class ZipEntry
            {
                private readonly int attributes;

                public ZipEntry(string name, int attributes, int method) { Name = name; this.attributes = attributes; Method = method; }

                public string Name { get; }

                public int Method { get; }

                public bool IsDirectory => Name.EndsWith("/") || Has(16);

                public bool IsFile => !IsDirectory && !Has(8);

                public bool CanDecompress() => Supported(Method);

                public void Rename(string name) { }

                private static bool Supported(int method) => method == 0 || method == 8;

                private bool Has(int flag) => (attributes & flag) == flag;
            }

            public sealed class NameTransform
            {
                private readonly string root;

                public NameTransform(string root) => this.root = System.IO.Path.GetFullPath(root);

                public string TransformFile(string name)
                {
                    var path = System.IO.Path.Combine(root, name);
                    if (!System.IO.Path.GetFullPath(path).StartsWith(root + System.IO.Path.DirectorySeparatorChar, System.StringComparison.Ordinal))
                    {
                        throw new System.IO.InvalidDataException("Entry " + name + " is outside " + root);
                    }

                    return path;
                }

                public string TransformDirectory(string name)
                {
                    var path = System.IO.Path.Combine(root, name.TrimEnd('/'));
                    if (!System.IO.Path.GetFullPath(path).StartsWith(root + System.IO.Path.DirectorySeparatorChar, System.StringComparison.Ordinal))
                    {
                        throw new System.IO.InvalidDataException("Folder " + name + " is outside " + root);
                    }

                    return path;
                }
            }
        }
        """;

    /// <summary>
    /// An extractor class whose helper <c>Extract</c> (with the given accessibility) transforms a file's name or a
    /// folder's, and creates the folder; <paramref name="callers"/> are its other members.
    /// </summary>
    private static string Extractor(string name, string access, string callers, int? location = null) => $$"""
        public sealed class {{name}}
        {
            private readonly NameTransform transform;
            private bool createFolders;

            public {{name}}(string root) => transform = new NameTransform(root);

        {{callers}}

            {{access}} void Extract(ZipEntry entry)
            {
                var proceed = entry.CanDecompress();
                var target = entry.Name;
                if (proceed)
                {
                    if (entry.IsFile)
                    {
                        target = transform.TransformFile(target);
                    }
                    else if (entry.IsDirectory)
                    {
                        target = transform.TransformDirectory(target);
                    }

                    proceed = !string.IsNullOrEmpty(target);
                }

                var folder = string.Empty;
                if (proceed)
                {
                    if (entry.IsDirectory)
                    {
                        folder = target;
                    }
                    else
                    {
                        folder = Path.GetDirectoryName(Path.GetFullPath(target));
                    }
                }

                if (proceed && !Directory.Exists(folder))
                {
                    Directory.CreateDirectory({{(location is { } at ? $"{{|#{at}:folder|}}" : "folder")}});
                }

                if (proceed && entry.IsFile)
                {
                    File.WriteAllText(target, string.Empty);
                }
            }
        }

        """;

    private const string Usings = """
        using System.Collections.Generic;
        using System.IO;
        using ICSharpCode.SharpZipLib.Zip;

        """;

    /// <summary>Calls the helper for a file entry, or for a folder entry: never for an entry that is neither.</summary>
    private const string FileOrFolder = """
            public void ExtractAll(IEnumerable<ZipEntry> entries)
            {
                foreach (var entry in entries)
                {
                    if (entry.IsFile)
                    {
                        if (entry.Name.Length > 0)
                        {
                            Extract(entry);
                        }
                    }
                    else if (entry.IsDirectory)
                    {
                        if (createFolders && entry.Name.Length > 0)
                        {
                            Extract(entry);
                        }
                    }
                }
            }
        """;

    private static DiagnosticResult Write(int location, string origin) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments($"Path 'folder' from {origin} reaches 'Directory.CreateDirectory' with no containment check", Advice);

    [Fact]
    public async Task PrivateHelper_CalledOnlyForAFileOrAFolder_IsQuiet()
    {
        // The helper's path where the entry is neither (its name kept as it is) cannot run: both calls test the entry
        // first. The same helper called only after a guard that skips anything but files, or under one test that the
        // entry is a file or a folder, likewise.
        const string skipsOthers = """
                public void ExtractFiles(IEnumerable<ZipEntry> entries)
                {
                    foreach (var entry in entries)
                    {
                        if (!entry.IsFile)
                        {
                            continue;
                        }

                        Extract(entry);
                    }
                }
            """;

        const string eitherTest = """
                public void ExtractAll(IEnumerable<ZipEntry> entries)
                {
                    foreach (var entry in entries)
                    {
                        if (entry.IsFile || (entry.IsDirectory && createFolders))
                        {
                            Extract(entry);
                        }
                    }
                }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            Usings + Extractor("Extractor", "private", FileOrFolder) + Extractor("FileExtractor", "private", skipsOthers)
                + Extractor("EitherExtractor", "private", eitherTest) + Entries);
    }

    [Fact]
    public async Task HelperThatAnyEntryCanReach_IsFlagged()
    {
        // Called also from a public method, or for an entry that is neither, or for any entry; given to a delegate; the
        // entry changed between the test and the call; the helper itself public.
        const string alsoPublic = FileOrFolder + """

                public void ExtractOne(ZipEntry entry) => Extract(entry);
            """;
        const string neither = """
                public void ExtractAll(IEnumerable<ZipEntry> entries)
                {
                    foreach (var entry in entries)
                    {
                        if (entry.IsFile)
                        {
                            Extract(entry);
                        }
                        else if (entry.IsDirectory)
                        {
                            Extract(entry);
                        }
                        else
                        {
                            Extract(entry);
                        }
                    }
                }
            """;
        const string untested = """
                public void ExtractAll(IEnumerable<ZipEntry> entries)
                {
                    foreach (var entry in entries)
                    {
                        if (entry.Name.Length > 0)
                        {
                            Extract(entry);
                        }
                    }
                }
            """;
        const string delegated = FileOrFolder + """

                public void ExtractEach(List<ZipEntry> entries) => entries.ForEach(Extract);
            """;
        const string changed = """
                public void ExtractAll(IEnumerable<ZipEntry> entries)
                {
                    foreach (var entry in entries)
                    {
                        if (entry.IsFile)
                        {
                            entry.Rename(entry.Name + "/");
                            Extract(entry);
                        }
                    }
                }
            """;

        var source = Usings + Extractor("PublicCaller", "private", alsoPublic, 0) + Extractor("AnyEntryCaller", "private", neither, 1)
            + Extractor("UntestedCaller", "private", untested, 2) + Extractor("DelegateCaller", "private", delegated, 3)
            + Extractor("ChangedCaller", "private", changed, 4) + Extractor("PublicHelper", "public", FileOrFolder, 5) + Entries;

        // Each helper's name is read on the line of its "var target = entry.Name;".
        var reads = source.Split('\n').Select((line, index) => (line, index)).Where(l => l.line.Contains("var target = entry.Name;")).Select(l => l.index + 1).ToList();
        await VerifyCS.VerifyAnalyzerAsync(source, reads.Select((line, i) => Write(i, $"ZipEntry.Name (line {line})")).ToArray());
    }
}
