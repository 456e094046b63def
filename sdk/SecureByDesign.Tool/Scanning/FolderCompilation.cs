using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// One compilation of a folder's C# sources without their build, as CodeQL's build-mode none does: every
    /// source outside the excluded folders, against the framework's reference assemblies and the packages the
    /// project files name (restored where they can be), with the framework's and the packages' source generators
    /// run. Sources of several projects go into one compilation; what does not bind stays a compile error, and
    /// analyzers run over the rest.
    /// </summary>
    internal sealed class FolderCompilation
    {
        private FolderCompilation(SourceSet sources, CSharpCompilation compilation, int lines, TimeSpan parseTime, FrameworkReferences framework, PackageRestore packages, ProjectSettings projects, GeneratorRun generators, BuildSymbols symbols)
        {
            Symbols = symbols;
            Sources = sources;
            Compilation = compilation;
            Lines = lines;
            ParseTime = parseTime;
            Framework = framework;
            Packages = packages;
            Projects = projects;
            Generators = generators;
        }

        /// <summary>The files compiled and the folders left out.</summary>
        public SourceSet Sources { get; }

        /// <summary>The compilation, generated sources included, not yet bound.</summary>
        public CSharpCompilation Compilation { get; }

        /// <summary>Lines of the folder's own sources (every line, blank and comment lines too).</summary>
        public int Lines { get; }

        /// <summary>Time to read and parse the sources.</summary>
        public TimeSpan ParseTime { get; }

        /// <summary>The framework compiled against.</summary>
        public FrameworkReferences Framework { get; }

        /// <summary>The packages restored and left out.</summary>
        public PackageRestore Packages { get; }

        /// <summary>The preprocessor symbols of each project's build.</summary>
        public BuildSymbols Symbols { get; }

        /// <summary>What the project files said.</summary>
        public ProjectSettings Projects { get; }

        /// <summary>The source generators run, and what they could not do.</summary>
        public GeneratorRun Generators { get; }

        /// <summary>Builds the compilation of <paramref name="folder"/>.</summary>
        /// <param name="folder">The folder to compile.</param>
        /// <param name="exclusions">Folder-name patterns to leave out (see <see cref="SourceSet.DefaultExclusions"/>).</param>
        /// <param name="restore">Whether to restore the project files' package references (needs <c>dotnet</c> and the package sources).</param>
        /// <param name="programs">Whether to keep the programs that sit beside a library (<see cref="SourceSet.WithoutPrograms"/>).</param>
        public static FolderCompilation Build(string folder, IEnumerable<string> exclusions, bool restore, bool programs = false)
        {
            SourceSet found = SourceSet.Find(folder, exclusions);
            found = programs ? found : found.WithoutPrograms();
            ProjectSettings projects = ProjectSettings.Read(found.ProjectFiles);
            SourceSet sources = found.WithLinked(projects.CompileIncludes);
            FrameworkReferences framework = FrameworkReferences.Locate(projects.AspNetCore);
            PackageRestore packages = restore
                ? PackageRestore.Run(projects.Packages, TimeSpan.FromMinutes(5))
                : PackageRestore.Skipped(projects.Packages.Keys, "not restored (--no-restore)");

            var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Regular, PreprocessorSymbols(framework.MajorVersion));
            BuildSymbols symbols = BuildSymbols.Read(found.ProjectFiles, parseOptions.PreprocessorSymbolNames.ToList());
            var optionsBySymbols = new System.Collections.Concurrent.ConcurrentDictionary<IReadOnlyList<string>, CSharpParseOptions>();
            var clock = Stopwatch.StartNew();
            var trees = new SyntaxTree[sources.Files.Count];
            var lines = new int[sources.Files.Count];
            Parallel.For(0, sources.Files.Count, i =>
            {
                using FileStream stream = File.OpenRead(sources.Files[i]);
                SourceText text = SourceText.From(stream, Encoding.UTF8, SourceHashAlgorithm.Sha256, throwIfBinaryDetected: false);
                lines[i] = text.Lines.Count;
                // Each file with the symbols of its own project's build (the framework's when it is in none).
                CSharpParseOptions options = optionsBySymbols.GetOrAdd(symbols.For(sources.Files[i]), defined => parseOptions.WithPreprocessorSymbols(defined));
                trees[i] = CSharpSyntaxTree.ParseText(text, options, sources.Files[i]);
            });
            clock.Stop();

            var allTrees = trees.ToList();
            if (projects.ImplicitUsings)
            {
                allTrees.Add(CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, Path.Combine(sources.Root, "obj", "ImplicitUsings.g.cs")));
            }

            if (projects.GlobalUsings.Count > 0)
            {
                allTrees.Add(CSharpSyntaxTree.ParseText(string.Join("\n", projects.GlobalUsings), parseOptions, Path.Combine(sources.Root, "obj", "GlobalUsings.g.cs")));
            }

            var compilation = CSharpCompilation.Create(
                "Scanned",
                allTrees,
                References(framework, packages),
                new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    allowUnsafe: true,
                    nullableContextOptions: projects.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
                    concurrentBuild: true));

            var loader = new AnalyzerLoader();
            IEnumerable<string> generatorFiles = framework.Generators.Concat(packages.Analyzers.Values.SelectMany(f => f));
            GeneratorRun generators = GeneratorRun.Run(ref compilation, generatorFiles, loader, parseOptions);
            return new FolderCompilation(sources, compilation, lines.Sum(), clock.Elapsed, framework, packages, projects, generators, symbols);
        }

        /// <summary>
        /// The symbols a build for the framework would define: <c>NET</c>, <c>NETCOREAPP</c>, <c>NETn_0</c> and every
        /// <c>..._OR_GREATER</c> up to it, with <c>TRACE</c> and <c>RELEASE</c>.
        /// </summary>
        public static IEnumerable<string> PreprocessorSymbols(int major)
        {
            var symbols = new List<string> { "TRACE", "RELEASE", "NET", "NETCOREAPP", $"NET{major}_0" };
            symbols.AddRange(new[] { "1_0", "1_1", "2_0", "2_1", "2_2", "3_0", "3_1" }.Select(v => $"NETCOREAPP{v}_OR_GREATER"));
            symbols.AddRange(Enumerable.Range(5, Math.Max(0, major - 4)).Select(v => $"NET{v}_0_OR_GREATER"));
            return symbols;
        }

        private static IEnumerable<MetadataReference> References(FrameworkReferences framework, PackageRestore packages)
        {
            // A package assembly the framework already has (System.Memory, System.Text.Json, ...) is the framework's,
            // as the SDK's conflict resolution would pick for a current target framework.
            var names = new HashSet<string>(framework.Assemblies.Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
            return framework.Assemblies
                .Concat(packages.CompileAssemblies.Where(a => names.Add(Path.GetFileName(a))))
                .Select(path => MetadataReference.CreateFromFile(path));
        }

        private const string ImplicitUsings = """
            // <auto-generated/>
            global using global::System;
            global using global::System.Collections.Generic;
            global using global::System.IO;
            global using global::System.Linq;
            global using global::System.Net.Http;
            global using global::System.Threading;
            global using global::System.Threading.Tasks;
            """;
    }
}
