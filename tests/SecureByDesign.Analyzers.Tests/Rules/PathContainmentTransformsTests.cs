using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.PathContainmentAnalyzer,
    SecureByDesign.Analyzers.PathContainmentFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1006 on extraction through a name transform that checks containment itself, reached through an interface field,
/// with the write under a second test of the same flag or entry property as the transform's.
/// </summary>
public class PathContainmentTransformsTests
{
    private const string Advice = "check that Path.GetFullPath of it starts with the root directory and a trailing separator before writing";

    private const string Entries = """

        namespace ICSharpCode.SharpZipLib.Zip
        {
            public class ZipEntry
            {
                private readonly int attributes;

                public ZipEntry(string name, int attributes) { Name = name; this.attributes = attributes; }

                public string Name { get; }

                public bool IsDirectory => Name.EndsWith("/") || Has(16);

                public bool IsFile => !IsDirectory && !Has(8);

                public void Rename(string name) { }

                private bool Has(int flag)
                {
                    var found = false;
                    found |= (attributes & flag) == flag;
                    return found;
                }
            }

            public interface INameTransform
            {
                string TransformFile(string name);
            }

            public sealed class RootedTransform : INameTransform
            {
                private readonly string root;

                public RootedTransform(string root) => this.root = System.IO.Path.GetFullPath(root);

                public string TransformFile(string name)
                {
                    var path = System.IO.Path.Combine(root, name);
                    if (!System.IO.Path.GetFullPath(path).StartsWith(root + System.IO.Path.DirectorySeparatorChar, System.StringComparison.Ordinal))
                    {
                        throw new System.IO.InvalidDataException("Entry " + name + " is outside " + root);
                    }

                    return path;
                }
            }
        }
        """;

    private static DiagnosticResult Write(int location, string path, string origin, string sink) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments($"Path '{path}' from {origin} reaches '{sink}' with no containment check", Advice);

    [Fact]
    public async Task TransformThatChecks_ThroughAnInterfaceField_UnderTheSameTests_IsQuiet()
    {
        // The field is only ever given a RootedTransform: the call runs its check. The write is under the same flag and
        // the same entry property as the transform, with nothing writing either in between.
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using ICSharpCode.SharpZipLib.Zip;

            public sealed class Unpacker
            {
                private INameTransform transform;

                public void UnpackAll(IEnumerable<ZipEntry> entries, string root)
                {
                    transform = new RootedTransform(root);
                    foreach (var entry in entries)
                    {
                        Unpack(entry);
                    }
                }

                private void Unpack(ZipEntry entry)
                {
                    var proceed = entry.Name.Length > 0;
                    var target = entry.Name;
                    if (proceed)
                    {
                        if (entry.IsFile)
                        {
                            target = transform.TransformFile(target);
                        }

                        proceed = !string.IsNullOrEmpty(target);
                    }

                    var folder = string.Empty;
                    if (proceed && entry.IsFile)
                    {
                        folder = Path.GetDirectoryName(Path.GetFullPath(target));
                        Directory.CreateDirectory(folder);
                    }

                    if (proceed && entry.IsFile)
                    {
                        File.WriteAllText(target, string.Empty);
                    }
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source + Entries);
    }

    [Fact]
    public async Task TransformThatDoesNotCheck_OrATestNotRelated_IsFlagged()
    {
        // A field given a transform that only rewrites separators; a field given whatever the caller passes, where one of
        // the compilation's implementations does not check; a second test after the entry was touched or replaced; a
        // write under no second test.
        const string source = """
            using System.IO;
            using ICSharpCode.SharpZipLib.Zip;

            public sealed class FlatTransform : INameTransform
            {
                public string TransformFile(string name) => name.Replace('\\', '/');
            }

            public sealed class FlatUnpacker
            {
                private INameTransform transform = new FlatTransform();

                public void Unpack(ZipEntry entry)
                {
                    var target = entry.Name;
                    if (entry.IsFile)
                    {
                        target = transform.TransformFile(target);
                    }

                    if (entry.IsFile)
                    {
                        File.WriteAllText({|#0:target|}, string.Empty);
                    }
                }
            }

            public sealed class PluggableUnpacker
            {
                private readonly INameTransform transform;

                public PluggableUnpacker(INameTransform transform) => this.transform = transform;

                public void Unpack(ZipEntry entry)
                {
                    var target = transform.TransformFile(entry.Name);
                    File.WriteAllText({|#1:target|}, string.Empty);
                }
            }

            public sealed class CarelessUnpacker
            {
                private INameTransform transform = new RootedTransform("out");

                public void Touched(ZipEntry entry)
                {
                    var target = entry.Name;
                    if (entry.IsFile)
                    {
                        target = transform.TransformFile(target);
                    }

                    entry.Rename("renamed");
                    if (entry.IsFile)
                    {
                        File.WriteAllText({|#2:target|}, string.Empty);
                    }
                }

                public void Replaced(ZipEntry entry, ZipEntry next)
                {
                    var target = entry.Name;
                    if (entry.IsFile)
                    {
                        target = transform.TransformFile(target);
                    }

                    entry = next;
                    if (entry.IsFile)
                    {
                        File.WriteAllText({|#3:target|}, string.Empty);
                    }
                }

                public void FlagWritten(ZipEntry entry, bool force)
                {
                    var proceed = entry.Name.Length > 0;
                    var target = entry.Name;
                    if (proceed)
                    {
                        target = transform.TransformFile(target);
                    }

                    proceed = force;
                    if (proceed)
                    {
                        File.WriteAllText({|#4:target|}, string.Empty);
                    }
                }

                public void NoSecondTest(ZipEntry entry)
                {
                    var target = entry.Name;
                    if (entry.IsFile)
                    {
                        target = transform.TransformFile(target);
                    }

                    File.WriteAllText({|#5:target|}, string.Empty);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source + Entries,
            Write(0, "target", "ZipEntry.Name (line 15)", "File.WriteAllText"),
            Write(1, "target", "ZipEntry.Name (line 36)", "File.WriteAllText"),
            Write(2, "target", "ZipEntry.Name (line 47)", "File.WriteAllText"),
            Write(3, "target", "ZipEntry.Name (line 62)", "File.WriteAllText"),
            Write(4, "target", "ZipEntry.Name (line 78)", "File.WriteAllText"),
            Write(5, "target", "ZipEntry.Name (line 93)", "File.WriteAllText"));
    }

    [Fact]
    public async Task EveryImplementationChecks_ThroughAnyField_IsQuiet()
    {
        // The caller may pass any transform, but every one the compilation has checks; a virtual transform whose overrides
        // all check too.
        const string source = """
            using System;
            using System.IO;
            using ICSharpCode.SharpZipLib.Zip;

            public class BaseTransform
            {
                public virtual string Resolve(string root, string name)
                {
                    var path = Path.GetFullPath(Path.Combine(root, name));
                    return path.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : throw new InvalidDataException(name);
                }
            }

            public sealed class PluggableUnpacker
            {
                private readonly INameTransform transform;
                private readonly BaseTransform resolver;

                public PluggableUnpacker(INameTransform transform, BaseTransform resolver)
                {
                    this.transform = transform;
                    this.resolver = resolver;
                }

                public void Unpack(ZipEntry entry, string root)
                {
                    File.WriteAllText(transform.TransformFile(entry.Name), string.Empty);
                    var resolved = resolver.Resolve(root, entry.Name);
                    File.WriteAllText(resolved, string.Empty);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source + Entries);
    }

    [Fact]
    public async Task OverrideThatDoesNotCheck_OrARootWithoutSeparator_IsFlagged()
    {
        const string source = """
            using System;
            using System.IO;
            using ICSharpCode.SharpZipLib.Zip;

            public class BaseTransform
            {
                public virtual string Resolve(string root, string name)
                {
                    var path = Path.GetFullPath(Path.Combine(root, name));
                    return path.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : throw new InvalidDataException(name);
                }
            }

            public sealed class LaxTransform : BaseTransform
            {
                public override string Resolve(string root, string name) => Path.Combine(root, name);
            }

            public static class PrefixTransform
            {
                public static string Resolve(string root, string name)
                {
                    var path = Path.Combine(root, name);
                    if (!Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException(name);
                    }

                    return path;
                }
            }

            public sealed class Unpacker
            {
                public void Unpack(ZipEntry entry, string root, BaseTransform resolver)
                {
                    File.WriteAllText({|#0:resolver.Resolve(root, entry.Name)|}, string.Empty);
                    File.WriteAllText({|#1:PrefixTransform.Resolve(root, entry.Name)|}, string.Empty);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source + Entries,
            Write(0, "resolver.Resolve(root, entry.Name)", "ZipEntry.Name (line 37)", "File.WriteAllText"),
            Write(1, "PrefixTransform.Resolve(root, entry.Name)", "ZipEntry.Name (line 38)", "File.WriteAllText"));
    }
}
