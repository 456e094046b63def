using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// The sources of a folder as a build would see them without its project files: every <c>.cs</c> file under
    /// it, minus folders whose name matches an exclusion (tests, samples, benchmarks, build output), and the project files
    /// beside them for their package references.
    /// </summary>
    internal sealed class SourceSet
    {
        /// <summary>
        /// Folder names left out by default (case-insensitive, <c>*</c> any characters): build output, hidden
        /// folders, tests, samples and benchmark projects (code that measures the library, run by its developers on
        /// inputs they chose).
        /// </summary>
        public static readonly IReadOnlyList<string> DefaultExclusions = new[]
        {
            "obj", "bin", ".*",
            "test", "tests", "*.test", "*tests",
            "sample", "samples", "*.sample", "*.samples", "example", "examples",
            "*benchmark", "*benchmarks",
        };

        private SourceSet(string root, IReadOnlyList<string> files, IReadOnlyList<string> projects, IReadOnlyList<string> excluded)
        {
            Root = root;
            Files = files;
            ProjectFiles = projects;
            ExcludedFolders = excluded;
        }

        /// <summary>The folder, as a full path.</summary>
        public string Root { get; }

        /// <summary>The <c>.cs</c> files, full paths, in ordinal order.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>The <c>.csproj</c>, <c>Directory.Build.props</c> and <c>Directory.Packages.props</c> files outside the excluded folders.</summary>
        public IReadOnlyList<string> ProjectFiles { get; }

        /// <summary>The folders left out, relative to the root, in ordinal order.</summary>
        public IReadOnlyList<string> ExcludedFolders { get; }

        /// <summary>Walks <paramref name="root"/>, leaving out folders whose name matches one of <paramref name="exclusions"/>.</summary>
        public static SourceSet Find(string root, IEnumerable<string> exclusions)
        {
            root = Path.GetFullPath(root);
            Regex[] patterns = exclusions.Where(e => e.Length > 0).Select(Wildcard).ToArray();
            var files = new List<string>();
            var projects = new List<string>();
            var excluded = new List<string>();
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                string folder = pending.Pop();
                foreach (string file in Directory.EnumerateFiles(folder))
                {
                    string name = Path.GetFileName(file);
                    if (name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                    {
                        files.Add(file);
                    }
                    else if (name.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || name.Equals("Directory.Packages.props", StringComparison.OrdinalIgnoreCase) || name.Equals("Directory.Build.props", StringComparison.OrdinalIgnoreCase))
                    {
                        projects.Add(file);
                    }
                }

                foreach (string sub in Directory.EnumerateDirectories(folder))
                {
                    string name = Path.GetFileName(sub);
                    if (patterns.Any(p => p.IsMatch(name)))
                    {
                        excluded.Add(Path.GetRelativePath(root, sub).Replace('\\', '/'));
                    }
                    else if (!new DirectoryInfo(sub).Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        pending.Push(sub);
                    }
                }
            }

            files.Sort(StringComparer.Ordinal);
            projects.Sort(StringComparer.Ordinal);
            excluded.Sort(StringComparer.Ordinal);
            return new SourceSet(root, files, projects, excluded);
        }

        /// <summary>
        /// These sources and the <paramref name="linked"/> files that lie outside the folder (a project's
        /// <c>&lt;Compile Include="../Shared/*.cs" /&gt;</c>); those inside it are already here, or left out on purpose.
        /// </summary>
        public SourceSet WithLinked(IEnumerable<string> linked)
        {
            string prefix = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
            var files = Files.Concat(linked.Where(f => !f.StartsWith(prefix, StringComparison.Ordinal))).Distinct(StringComparer.Ordinal).ToList();
            files.Sort(StringComparer.Ordinal);
            return new SourceSet(Root, files, ProjectFiles, ExcludedFolders);
        }

        /// <summary>The path of <paramref name="file"/> relative to the root, with forward slashes.</summary>
        public string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

        private static Regex Wildcard(string pattern) =>
            new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
