using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// The framework the sources compile against: the reference assemblies of the SDK's targeting pack
    /// (<c>packs/Microsoft.NETCore.App.Ref</c>, and <c>Microsoft.AspNetCore.App.Ref</c> when asked) for the
    /// running .NET version, with the source generators the pack ships; where there is no pack (a runtime without
    /// the SDK), the runtime's own assemblies and no generators.
    /// </summary>
    internal sealed class FrameworkReferences
    {
        private FrameworkReferences(string description, int majorVersion, IReadOnlyList<string> assemblies, IReadOnlyList<string> generators)
        {
            Description = description;
            MajorVersion = majorVersion;
            Assemblies = assemblies;
            Generators = generators;
        }

        /// <summary>What was found, for the report: "reference assemblies of .NET 10.0.12 (targeting pack)".</summary>
        public string Description { get; }

        /// <summary>The framework's major version, for the preprocessor symbols (<c>NET10_0_OR_GREATER</c>).</summary>
        public int MajorVersion { get; }

        /// <summary>The assemblies, full paths.</summary>
        public IReadOnlyList<string> Assemblies { get; }

        /// <summary>The analyzer assemblies of the packs (the framework's source generators), full paths.</summary>
        public IReadOnlyList<string> Generators { get; }

        /// <summary>Finds the framework of the .NET the tool runs on.</summary>
        public static FrameworkReferences Locate(bool aspNetCore)
        {
            string runtime = RuntimeEnvironment.GetRuntimeDirectory();
            Version version = Environment.Version;
            string dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
            var assemblies = new List<string>();
            var generators = new List<string>();
            var packs = new List<string>();
            foreach (string pack in aspNetCore ? new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" } : new[] { "Microsoft.NETCore.App.Ref" })
            {
                string? folder = PackFolder(Path.Combine(dotnetRoot, "packs", pack), version);
                string reference = folder is null ? string.Empty : Path.Combine(folder, "ref", $"net{version.Major}.0");
                if (Directory.Exists(reference))
                {
                    assemblies.AddRange(Directory.GetFiles(reference, "*.dll").OrderBy(f => f, StringComparer.Ordinal));
                    string analyzers = Path.Combine(folder!, "analyzers", "dotnet", "cs");
                    if (Directory.Exists(analyzers))
                    {
                        generators.AddRange(Directory.GetFiles(analyzers, "*.dll").OrderBy(f => f, StringComparer.Ordinal));
                    }

                    packs.Add($"{pack} {Path.GetFileName(folder)}");
                }
            }

            if (assemblies.Count > 0)
            {
                return new FrameworkReferences("reference assemblies of " + string.Join(", ", packs) + " (targeting pack)", version.Major, assemblies, generators);
            }

            assemblies.AddRange(Directory.GetFiles(runtime, "*.dll").Where(HasMetadata).OrderBy(f => f, StringComparer.Ordinal));
            return new FrameworkReferences($"assemblies of the .NET {version} runtime (no targeting pack found)", version.Major, assemblies, Array.Empty<string>());
        }

        /// <summary>The pack's folder for the running version, else the newest of the same major version.</summary>
        private static string? PackFolder(string pack, Version version)
        {
            if (!Directory.Exists(pack))
            {
                return null;
            }

            string exact = Path.Combine(pack, $"{version.Major}.{version.Minor}.{version.Build}");
            if (Directory.Exists(exact))
            {
                return exact;
            }

            return Directory.GetDirectories(pack)
                .Select(d => (Folder: d, Version: System.Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : null))
                .Where(d => d.Version?.Major == version.Major)
                .OrderByDescending(d => d.Version)
                .Select(d => d.Folder)
                .FirstOrDefault();
        }

        private static bool HasMetadata(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var reader = new PEReader(stream);
                return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }
    }
}
