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
    /// What the scan takes from project files without evaluating them: package references (with central versions
    /// from <c>Directory.Packages.props</c>), and whether any project turns on implicit usings, nullable
    /// annotations or the ASP.NET Core framework, the global usings they declare (<c>&lt;Using&gt;</c> items) and the
    /// sources they link from outside their folder (<c>&lt;Compile Include="../Shared/*.cs" /&gt;</c>, and the Compile items
    /// of the shared projects they import, <c>&lt;Import Project="../Shared/Shared.projitems" /&gt;</c>). Conditions and
    /// properties are not evaluated: every item under any condition counts, and for an id the highest version wins.
    /// </summary>
    internal sealed class ProjectSettings
    {
        private static readonly Regex Identifier = new(@"^@?[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        private static readonly Regex DottedName = new(@"^(global::)?@?[A-Za-z_][A-Za-z0-9_]*(\.@?[A-Za-z_][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        /// <summary>Package references: id to version ("*", the newest, when the version is not written down).</summary>
        public SortedDictionary<string, string> Packages { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Project files that could not be read, with why.</summary>
        public List<string> Unreadable { get; } = new();

        /// <summary>Some project has <c>ImplicitUsings</c> on.</summary>
        public bool ImplicitUsings { get; private set; }

        /// <summary>Some project has <c>Nullable</c> on.</summary>
        public bool Nullable { get; private set; }

        /// <summary>
        /// The global using directives of <c>&lt;Using Include="..." /&gt;</c> items (with <c>Alias</c> or <c>Static</c>), as
        /// C# lines; an item whose name is not a plain dotted name is left out, so a project file cannot add code.
        /// </summary>
        public SortedSet<string> GlobalUsings { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Full paths of the <c>.cs</c> files that <c>&lt;Compile Include&gt;</c> items name, relative to their project file
        /// (with <c>*</c> in the file name and <c>**</c> for any folders below), that exist. The caller keeps those outside
        /// the scanned folder.
        /// </summary>
        public SortedSet<string> CompileIncludes { get; } = new(StringComparer.Ordinal);

        /// <summary>Some project uses the Web SDK or references the ASP.NET Core framework.</summary>
        public bool AspNetCore { get; private set; }

        /// <summary>Reads <paramref name="projectFiles"/> (<c>.csproj</c>, <c>Directory.Build.props</c>, <c>Directory.Packages.props</c>).</summary>
        public static ProjectSettings Read(IEnumerable<string> projectFiles)
        {
            var settings = new ProjectSettings();
            var central = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var references = new List<(string Id, string? Version)>();

            // The project files, then what MSBuild imports into them: the nearest Directory.Build.props above each
            // project (above the scanned folder too) and the .props files those import in turn.
            var files = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string file in projectFiles)
            {
                if (seen.Add(Path.GetFullPath(file)))
                {
                    files.Add(file);
                }
            }

            foreach (string project in files.Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                if (BuildSymbols.NearestProps(Path.GetDirectoryName(Path.GetFullPath(project))!) is string props && seen.Add(Path.GetFullPath(props)))
                {
                    files.Add(props);
                }
            }

            for (int next = 0; next < files.Count; next++)
            {
                string file = files[next];
                XDocument? document = Load(file, settings.Unreadable);
                if (document?.Root is null)
                {
                    continue;
                }

                foreach (XElement element in document.Root.Descendants())
                {
                    string name = element.Name.LocalName;
                    string? include = (string?)element.Attribute("Include") ?? (string?)element.Attribute("Update");
                    if (name == "PackageVersion" && include is not null && Version(element) is string centralVersion)
                    {
                        central[include] = Highest(central.GetValueOrDefault(include), centralVersion);
                    }
                    else if (name == "PackageReference" && include is not null)
                    {
                        references.Add((include, Version(element)));
                    }
                    else if (name == "FrameworkReference" && string.Equals(include, "Microsoft.AspNetCore.App", StringComparison.OrdinalIgnoreCase))
                    {
                        settings.AspNetCore = true;
                    }
                    else if (name == "Using" && (string?)element.Attribute("Include") is string usingName)
                    {
                        AddUsing(settings.GlobalUsings, usingName.Trim(), (string?)element.Attribute("Alias"), IsOn((string?)element.Attribute("Static") ?? string.Empty));
                    }
                    else if (name == "Compile" && (string?)element.Attribute("Include") is string compile)
                    {
                        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
                        settings.AddCompileItems(compile, folder, IsProject(file) ? folder : null);
                    }
                    else if (name == "Import" && (string?)element.Attribute("Project") is string imported)
                    {
                        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
                        if (ImportedProps(imported, folder) is string props && seen.Add(props))
                        {
                            files.Add(props);
                        }
                        else
                        {
                            settings.AddSharedProject(imported, folder, IsProject(file) ? folder : null, new HashSet<string>(StringComparer.Ordinal));
                        }
                    }
                    else if (name == "ImplicitUsings" && IsOn(element.Value))
                    {
                        settings.ImplicitUsings = true;
                    }
                    else if (name == "Nullable" && IsOn(element.Value))
                    {
                        settings.Nullable = true;
                    }
                }

                string? sdk = (string?)document.Root.Attribute("Sdk");
                settings.AspNetCore |= sdk is not null && sdk.StartsWith("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase);
            }

            foreach ((string id, string? version) in references)
            {
                string resolved = version ?? central.GetValueOrDefault(id) ?? "*";
                settings.Packages[id] = Highest(settings.Packages.GetValueOrDefault(id), resolved);
            }

            return settings;
        }

        private static void AddUsing(SortedSet<string> usings, string name, string? alias, bool isStatic)
        {
            if (!DottedName.IsMatch(name) || (alias is not null && !Identifier.IsMatch(alias.Trim())))
            {
                return;
            }

            name = name.StartsWith("global::", StringComparison.Ordinal) ? name.Substring("global::".Length) : name;
            usings.Add(alias is not null ? $"global using {alias.Trim()} = global::{name};" : isStatic ? $"global using static global::{name};" : $"global using global::{name};");
        }

        /// <summary>
        /// Adds the files of a Compile item's <c>Include</c>, relative to <paramref name="folder"/> (the folder of the file
        /// holding the item); <c>$(MSBuildThisFileDirectory)</c> is that folder, <c>$(MSBuildProjectDirectory)</c> the
        /// importing project's.
        /// </summary>
        private void AddCompileItems(string include, string folder, string? projectFolder)
        {
            foreach (string pattern in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                CompileIncludes.UnionWith(Expand(folder, WellKnownProperties(pattern, folder, projectFolder)));
            }
        }

        /// <summary>
        /// Follows an <c>&lt;Import Project="...projitems" /&gt;</c> of a shared project: its Compile items join the
        /// compilation, as they join the build of the project importing it, and so do those of the shared projects it
        /// imports in turn (each file once). Other imports (<c>.props</c>, <c>.targets</c>) are not followed.
        /// </summary>
        private void AddSharedProject(string imported, string folder, string? projectFolder, HashSet<string> visited)
        {
            string path = WellKnownProperties(imported.Trim(), folder, projectFolder).Replace('\\', '/');
            if (path.Contains("$(", StringComparison.Ordinal) || path.Contains('*', StringComparison.Ordinal)
                || !path.EndsWith(".projitems", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            string full;
            try
            {
                full = Path.GetFullPath(Path.Combine(folder, path));
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                return;
            }

            if (!File.Exists(full) || !visited.Add(full) || Load(full, Unreadable)?.Root is not XElement root)
            {
                return;
            }

            string sharedFolder = Path.GetDirectoryName(full)!;
            foreach (XElement element in root.Descendants())
            {
                if (element.Name.LocalName == "Compile" && (string?)element.Attribute("Include") is string compile)
                {
                    AddCompileItems(compile, sharedFolder, projectFolder);
                }
                else if (element.Name.LocalName == "Import" && (string?)element.Attribute("Project") is string nested)
                {
                    AddSharedProject(nested, sharedFolder, projectFolder, visited);
                }
            }
        }

        /// <summary>The full path of an imported <c>.props</c> file that exists (<c>.targets</c> and the SDK's own are not followed).</summary>
        private static string? ImportedProps(string imported, string folder)
        {
            string path = WellKnownProperties(imported.Trim(), folder, null).Replace('\\', '/');
            if (path.Contains("$(", StringComparison.Ordinal) || path.Contains('*', StringComparison.Ordinal)
                || !path.EndsWith(".props", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            try
            {
                string full = Path.GetFullPath(Path.Combine(folder, path));
                return File.Exists(full) ? full : null;
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                return null;
            }
        }

        /// <summary>The two properties a path of a project file or shared project is written with, as MSBuild gives them.</summary>
        /// <remarks>Without <paramref name="projectFolder"/> (a .props file is imported by every project below it), <c>$(MSBuildProjectDirectory)</c> stays unevaluated.</remarks>
        private static string WellKnownProperties(string path, string folder, string? projectFolder)
        {
            path = path.Replace("$(MSBuildThisFileDirectory)", folder + "/", StringComparison.OrdinalIgnoreCase);
            return projectFolder is null ? path : path.Replace("$(MSBuildProjectDirectory)", projectFolder, StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsProject(string file) => file.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase);

        /// <summary>The existing <c>.cs</c> files a Compile item's path names; an MSBuild property in it is not evaluated, so it names none.</summary>
        private static IEnumerable<string> Expand(string folder, string pattern)
        {
            pattern = pattern.Replace('\\', '/');
            if (pattern.Contains("$(", StringComparison.Ordinal) || !pattern.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                return Array.Empty<string>();
            }

            string fileName = Path.GetFileName(pattern);
            string directory = Path.GetDirectoryName(pattern) ?? string.Empty;
            bool recursive = directory == "**" || directory.EndsWith("/**", StringComparison.Ordinal);
            if (recursive)
            {
                directory = directory.Substring(0, Math.Max(0, directory.Length - 3));
            }

            if (directory.Contains('*', StringComparison.Ordinal))
            {
                return Array.Empty<string>();
            }

            string root = Path.GetFullPath(Path.Combine(folder, directory));
            if (!Directory.Exists(root))
            {
                return Array.Empty<string>();
            }

            try
            {
                return Directory.EnumerateFiles(root, fileName, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                    .Where(f => f.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                    .Select(Path.GetFullPath)
                    .ToList();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return Array.Empty<string>();
            }
        }

        private static XDocument? Load(string file, List<string> unreadable)
        {
            try
            {
                // Project files of a third party are input like any other: no DTDs, no external resources.
                var options = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
                using XmlReader reader = XmlReader.Create(file, options);
                return XDocument.Load(reader);
            }
            catch (Exception e) when (e is XmlException || e is IOException || e is UnauthorizedAccessException)
            {
                unreadable.Add($"{Path.GetFileName(file)}: {e.Message}");
                return null;
            }
        }

        private static string? Version(XElement element)
        {
            string? version = (string?)element.Attribute("VersionOverride") ?? (string?)element.Attribute("Version")
                ?? element.Elements().FirstOrDefault(e => e.Name.LocalName is "VersionOverride" or "Version")?.Value;
            version = version?.Trim();

            // An MSBuild property is not evaluated: the newest version stands in for it.
            return string.IsNullOrEmpty(version) || version.Contains("$(", StringComparison.Ordinal) ? null : version;
        }

        private static bool IsOn(string value) =>
            value.Trim().Equals("enable", StringComparison.OrdinalIgnoreCase) || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);

        private static string Highest(string? current, string candidate)
        {
            if (current is null || current == "*" || candidate == "*")
            {
                return candidate == "*" ? current ?? candidate : candidate;
            }

            return System.Version.TryParse(Numeric(current), out Version? a) && System.Version.TryParse(Numeric(candidate), out Version? b) && b > a ? candidate : current;
        }

        private static string Numeric(string version) => version.Split('-', '+')[0].Trim('[', ']', '(', ')').Split(',')[0];
    }
}
