using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

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
            "test", "tests", "*.test", "*tests", "*.test.*", "*tests.*", "*testhelpers",
            "sample", "samples", "*.sample", "*.samples", "example", "examples",
            "*benchmark", "*benchmarks",
        };

        private SourceSet(string root, IReadOnlyList<string> files, IReadOnlyList<string> projects, IReadOnlyList<string> excluded, IReadOnlyList<string>? programs = null)
        {
            Root = root;
            Files = files;
            ProjectFiles = projects;
            ExcludedFolders = excluded;
            Programs = programs ?? Array.Empty<string>();
        }

        /// <summary>The folders of programs left out beside a library (<see cref="WithoutPrograms"/>), relative to the root, in ordinal order.</summary>
        public IReadOnlyList<string> Programs { get; }

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
            return new SourceSet(Root, files, ProjectFiles, ExcludedFolders, Programs);
        }

        /// <summary>
        /// These sources without the programs that sit beside a library: when the folder holds a library project (one
        /// whose <c>OutputType</c>, under no condition, is not <c>Exe</c>, <c>WinExe</c> or <c>AppContainerExe</c>), the
        /// files whose nearest project is a program (a repository's generators, fuzzing harnesses, demos and tools) are
        /// left out, with that project, when they are fewer than the library's. Those are not what the library's users
        /// run. A folder of programs and no library, or whose programs are most of it (a server beside its contracts),
        /// is kept whole.
        /// </summary>
        public SourceSet WithoutPrograms()
        {
            var folders = ProjectFiles
                .Where(p => p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                .GroupBy(p => Path.GetDirectoryName(p)!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.All(IsProgram), StringComparer.Ordinal);
            if (!folders.ContainsValue(false) || !folders.ContainsValue(true))
            {
                return this;
            }

            bool InProgram(string path)
            {
                for (string? folder = Path.GetDirectoryName(path); folder is not null && folder.Length >= Root.Length; folder = Path.GetDirectoryName(folder))
                {
                    if (folders.TryGetValue(folder, out bool program))
                    {
                        return program;
                    }
                }

                return false;
            }

            // A server beside its contracts library is the code to review: programs go only when they are the smaller part.
            List<string> kept = Files.Where(f => !InProgram(f)).ToList();
            if (kept.Count <= Files.Count - kept.Count)
            {
                return this;
            }

            var programs = folders.Where(f => f.Value).Select(f => Relative(f.Key)).OrderBy(f => f, StringComparer.Ordinal).ToList();
            return new SourceSet(Root, kept, ProjectFiles.Where(p => !InProgram(p)).ToList(), ExcludedFolders, programs);
        }

        private static bool IsProgram(string project)
        {
            XDocument document;
            try
            {
                document = XDocument.Load(project);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
            {
                return false;
            }

            // <OutputType>Exe</OutputType> under no condition, or a Visual Studio 2003 project's OutputType = "Exe".
            foreach (XElement element in document.Descendants())
            {
                string? value = element.Name.LocalName == "OutputType"
                    ? (element.AncestorsAndSelf().Any(e => e.Attribute("Condition") is not null) ? null : element.Value.Trim())
                    : element.Attribute("OutputType")?.Value;
                if (value is not null)
                {
                    return ProgramTypes.Contains(value, StringComparer.OrdinalIgnoreCase);
                }
            }

            return false;
        }

        private static readonly string[] ProgramTypes = { "Exe", "WinExe", "AppContainerExe" };

        /// <summary>The path of <paramref name="file"/> relative to the root, with forward slashes.</summary>
        public string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

        private static Regex Wildcard(string pattern) =>
            new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
