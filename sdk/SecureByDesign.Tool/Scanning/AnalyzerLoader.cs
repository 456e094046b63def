using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// Loads analyzer and generator assemblies from packages into a context of their own, as the compiler server
    /// does: an assembly's dependencies come from the folders of the analyzers registered with it, except the
    /// compiler's own assemblies, which are always the host's so that analyzers and host share one Roslyn.
    /// </summary>
    internal sealed class AnalyzerLoader : AssemblyLoadContext, IAnalyzerAssemblyLoader
    {
        private readonly ConcurrentDictionary<string, string> byName = new(StringComparer.OrdinalIgnoreCase);

        public AnalyzerLoader()
            : base("sbd-analyzers")
        {
        }

        /// <summary>
        /// References to the analyzer assemblies at <paramref name="paths"/>, each able to load its siblings; what
        /// cannot be loaded is added to <paramref name="problems"/>, one line each.
        /// </summary>
        public IReadOnlyList<AnalyzerFileReference> Open(IEnumerable<string> paths, ICollection<string> problems)
        {
            List<string> all = paths.ToList();
            foreach (string path in all)
            {
                AddDependencyLocation(path);
            }

            return all.Select(path =>
            {
                var reference = new AnalyzerFileReference(path, this);
                reference.AnalyzerLoadFailed += (_, e) => problems.Add($"{Path.GetFileName(path)}: {e.Message}");
                return reference;
            }).ToList();
        }

        /// <inheritdoc/>
        public void AddDependencyLocation(string fullPath) => byName.TryAdd(Path.GetFileNameWithoutExtension(fullPath), fullPath);

        /// <inheritdoc/>
        public Assembly LoadFromPath(string fullPath)
        {
            AddDependencyLocation(fullPath);
            return LoadFromAssemblyName(AssemblyName.GetAssemblyName(fullPath));
        }

        /// <inheritdoc/>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string name = assemblyName.Name ?? string.Empty;
            if (IsHostAssembly(name))
            {
                return null;
            }

            if (byName.TryGetValue(name, out string? path))
            {
                return LoadFromAssemblyPath(path);
            }

            foreach (string known in byName.Values)
            {
                string sibling = Path.Combine(Path.GetDirectoryName(known)!, name + ".dll");
                if (File.Exists(sibling))
                {
                    byName.TryAdd(name, sibling);
                    return LoadFromAssemblyPath(sibling);
                }
            }

            return null;
        }

        private static bool IsHostAssembly(string name) =>
            name is "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.CSharp" or "Microsoft.CodeAnalysis.VisualBasic"
                or "Microsoft.CodeAnalysis.Workspaces" or "Microsoft.CodeAnalysis.CSharp.Workspaces"
                or "System.Collections.Immutable" or "System.Reflection.Metadata";
    }
}
