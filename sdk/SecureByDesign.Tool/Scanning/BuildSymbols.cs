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
    /// The preprocessor symbols a build of each project defines, read from its project file and the nearest
    /// <c>Directory.Build.props</c> above it (above the scanned folder too), without MSBuild: the target framework the
    /// library ships to a current .NET application (of <c>TargetFramework</c>, <c>TargetFrameworks</c> or an old-style
    /// <c>TargetFrameworkVersion</c>: the newest .NET, else the newest .NET Core, else the newest .NET Standard, else the
    /// newest .NET Framework), that framework's implicit symbols, and the <c>DefineConstants</c> of a Release build for it.
    /// A condition is evaluated when it compares properties and text (<c>'$(TargetFramework)' == 'net45'</c>, <c>!=</c>,
    /// <c>and</c>, <c>or</c>, <c>$(X.StartsWith('net4'))</c>, <c>.Contains</c>, <c>.EndsWith</c>), with
    /// <c>Configuration</c> Release, <c>Platform</c> AnyCPU and <c>MSBuildProjectName</c> the project's; any other condition counts as false.
    /// </summary>
    internal sealed class BuildSymbols
    {
        private static readonly Regex Property = new(@"\$\((\w+)(?:\.(StartsWith|EndsWith|Contains)\('([^']*)'\))?\)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        private static readonly Regex Comparison = new(@"^'([^']*)'\s*(==|!=)\s*'([^']*)'$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        private static readonly Regex Symbol = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        private static readonly Regex Framework = new(@"^net(?<modern>\d+\.\d+)|^netcoreapp(?<core>\d+\.\d+)|^netstandard(?<standard>\d+\.\d+)|^net(?<framework>\d{2,3})(?![\d.])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

        private static readonly string[] CoreVersions = { "1.0", "1.1", "2.0", "2.1", "2.2", "3.0", "3.1" };
        private static readonly string[] StandardVersions = { "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.0", "2.1" };
        private static readonly string[] FrameworkVersions = { "20", "35", "40", "45", "451", "452", "46", "461", "462", "47", "471", "472", "48", "481" };

        private readonly List<(string Folder, string Project, string Framework, IReadOnlyList<string> Symbols)> projects = new();
        private readonly IReadOnlyList<string> fallback;

        private BuildSymbols(IReadOnlyList<string> fallback) => this.fallback = fallback;

        /// <summary>Per project: its file, the framework chosen, and the symbols (for the report).</summary>
        public IEnumerable<(string Project, string Framework, IReadOnlyList<string> Symbols)> Projects => projects.Select(p => (p.Project, p.Framework, p.Symbols));

        /// <summary>Reads the <c>.csproj</c> files among <paramref name="projectFiles"/>; a source outside every project gets <paramref name="fallback"/>.</summary>
        public static BuildSymbols Read(IEnumerable<string> projectFiles, IReadOnlyList<string> fallback)
        {
            var symbols = new BuildSymbols(fallback);
            foreach (string project in projectFiles.Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)))
            {
                var documents = new List<XDocument>();
                if (NearestProps(Path.GetDirectoryName(Path.GetFullPath(project))!) is string props && Load(props) is XDocument shared)
                {
                    documents.Add(shared);
                }

                if (Load(project) is XDocument own)
                {
                    documents.Add(own);
                }

                var properties = Properties(documents).ToList();
                var release = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Configuration"] = "Release", ["Platform"] = "AnyCPU", ["MSBuildProjectName"] = Path.GetFileNameWithoutExtension(project) };
                string? framework = Choose(Evaluate(properties, release, "TargetFrameworks", "TargetFramework", "TargetFrameworkVersion"));
                if (framework is null)
                {
                    continue;
                }

                release["TargetFramework"] = framework;
                var defined = new List<string> { "TRACE", "RELEASE" };
                defined.AddRange(Implicit(framework));
                string constants = Evaluate(properties, release, "DefineConstants").LastOrDefault() ?? string.Empty;
                defined.AddRange(constants.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => Symbol.IsMatch(s)));
                symbols.projects.Add((Path.GetDirectoryName(Path.GetFullPath(project))! + Path.DirectorySeparatorChar, project, framework, defined.Distinct(StringComparer.Ordinal).ToList()));
            }

            // The deepest project folder first: a file belongs to the nearest project above it.
            symbols.projects.Sort((a, b) => b.Folder.Length.CompareTo(a.Folder.Length));
            return symbols;
        }

        /// <summary>The symbols for a source file: those of the nearest project above it, or the fallback.</summary>
        public IReadOnlyList<string> For(string file)
        {
            string full = Path.GetFullPath(file);
            foreach (var project in projects)
            {
                if (full.StartsWith(project.Folder, StringComparison.Ordinal))
                {
                    return project.Symbols;
                }
            }

            return fallback;
        }

        /// <summary>The implicit symbols the .NET SDK defines for a target framework (<c>NETSTANDARD2_0</c>, <c>NET45_OR_GREATER</c>, ...).</summary>
        public static IEnumerable<string> Implicit(string framework)
        {
            Match match = Framework.Match(framework);
            if (match.Groups["modern"].Success && System.Version.TryParse(match.Groups["modern"].Value, out Version? modern) && modern.Major >= 5)
            {
                return FolderCompilation.PreprocessorSymbols(modern.Major).Where(s => s != "TRACE" && s != "RELEASE");
            }

            if (match.Groups["core"].Success || match.Groups["modern"].Success)
            {
                string version = match.Groups["core"].Success ? match.Groups["core"].Value : match.Groups["modern"].Value;
                return new[] { "NETCOREAPP", "NETCOREAPP" + version.Replace('.', '_') }.Concat(UpTo(CoreVersions, version).Select(v => $"NETCOREAPP{v.Replace('.', '_')}_OR_GREATER"));
            }

            if (match.Groups["standard"].Success)
            {
                string version = match.Groups["standard"].Value;
                return new[] { "NETSTANDARD", "NETSTANDARD" + version.Replace('.', '_') }.Concat(UpTo(StandardVersions, version).Select(v => $"NETSTANDARD{v.Replace('.', '_')}_OR_GREATER"));
            }

            if (match.Groups["framework"].Success)
            {
                string version = match.Groups["framework"].Value;
                return new[] { "NETFRAMEWORK", "NET" + version }.Concat(FrameworkVersions.Where(v => FrameworkOrder(v) <= FrameworkOrder(version)).Select(v => $"NET{v}_OR_GREATER"));
            }

            return Array.Empty<string>();
        }

        /// <summary>The framework a current .NET application gets: the newest .NET, else .NET Core, else .NET Standard, else .NET Framework.</summary>
        private static string? Choose(IEnumerable<string> declared)
        {
            string? best = null;
            (int, double) bestRank = (-1, 0);
            foreach (string value in declared)
            {
                foreach (string candidate in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    string framework = candidate.StartsWith("v", StringComparison.OrdinalIgnoreCase) ? "net" + candidate.Substring(1).Replace(".", string.Empty, StringComparison.Ordinal) : candidate;
                    Match match = Framework.Match(framework);
                    (int, double) rank = match.Groups["modern"].Success ? (double.Parse(match.Groups["modern"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 5 ? 3 : 2, double.Parse(match.Groups["modern"].Value, System.Globalization.CultureInfo.InvariantCulture))
                        : match.Groups["core"].Success ? (2, double.Parse(match.Groups["core"].Value, System.Globalization.CultureInfo.InvariantCulture))
                        : match.Groups["standard"].Success ? (1, double.Parse(match.Groups["standard"].Value, System.Globalization.CultureInfo.InvariantCulture))
                        : match.Groups["framework"].Success ? (0, FrameworkOrder(match.Groups["framework"].Value))
                        : (-1, 0);
                    if (rank.Item1 >= 0 && rank.CompareTo(bestRank) > 0)
                    {
                        best = framework;
                        bestRank = rank;
                    }
                }
            }

            return best;
        }

        private static double FrameworkOrder(string digits) => double.Parse(digits.Substring(0, 1) + "." + digits.Substring(1), System.Globalization.CultureInfo.InvariantCulture);

        private static IEnumerable<string> UpTo(string[] versions, string version) =>
            versions.Where(v => System.Version.Parse(v) <= (System.Version.TryParse(version, out Version? parsed) ? parsed : new Version(0, 0)));

        /// <summary>The values of the named properties, in the order MSBuild sets them, where their conditions hold; <c>$(Name)</c> in a value is what it held before.</summary>
        private static IEnumerable<string> Evaluate(List<(string Name, string Value, List<string> Conditions)> properties, Dictionary<string, string> known, params string[] names)
        {
            var values = new Dictionary<string, string>(known, StringComparer.OrdinalIgnoreCase);
            var results = new List<string>();
            foreach (var (name, value, conditions) in properties)
            {
                if (!conditions.All(c => Holds(c, values)))
                {
                    continue;
                }

                // Every property is kept, for those that name others (<TargetFrameworks>$(LibTargetFrameworks)</TargetFrameworks>).
                string expanded = Expand(value, values);
                if (!known.ContainsKey(name))
                {
                    values[name] = expanded;
                }

                if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    results.Add(expanded);
                }
            }

            return results;
        }

        private static IEnumerable<(string Name, string Value, List<string> Conditions)> Properties(IEnumerable<XDocument> documents)
        {
            foreach (XDocument document in documents)
            {
                foreach (XElement group in document.Root!.Elements().Where(e => e.Name.LocalName == "PropertyGroup"))
                {
                    foreach (XElement property in group.Elements())
                    {
                        var conditions = new[] { (string?)group.Attribute("Condition"), (string?)property.Attribute("Condition") }.OfType<string>().ToList();
                        yield return (property.Name.LocalName, property.Value.Trim(), conditions);
                    }
                }
            }
        }

        private static string Expand(string text, Dictionary<string, string> values) =>
            Property.Replace(text, m =>
            {
                string value = values.TryGetValue(m.Groups[1].Value, out string? known) ? known : string.Empty;
                return m.Groups[2].Value switch
                {
                    "StartsWith" => value.StartsWith(m.Groups[3].Value, StringComparison.Ordinal) ? "true" : "false",
                    "EndsWith" => value.EndsWith(m.Groups[3].Value, StringComparison.Ordinal) ? "true" : "false",
                    "Contains" => value.Contains(m.Groups[3].Value, StringComparison.Ordinal) ? "true" : "false",
                    _ => value,
                };
            });

        /// <summary>A condition of comparisons joined by <c>and</c> / <c>or</c> (<c>and</c> binds tighter); anything else is false.</summary>
        private static bool Holds(string condition, Dictionary<string, string> values)
        {
            string text = condition.Trim();
            while (text.StartsWith('(') && text.EndsWith(')') && Balanced(text.Substring(1, text.Length - 2)))
            {
                text = text.Substring(1, text.Length - 2).Trim();
            }

            if (SplitTop(text, " or ") is { Count: > 1 } any)
            {
                return any.Any(part => Holds(part, values));
            }

            if (SplitTop(text, " and ") is { Count: > 1 } all)
            {
                return all.All(part => Holds(part, values));
            }

            string expanded = Expand(text, values).Trim();
            if (expanded == "true" || expanded == "'true'")
            {
                return true;
            }

            Match match = Comparison.Match(expanded);
            if (!match.Success)
            {
                return false;
            }

            bool equal = string.Equals(match.Groups[1].Value.Trim(), match.Groups[3].Value.Trim(), StringComparison.OrdinalIgnoreCase);
            return match.Groups[2].Value == "==" ? equal : !equal;
        }

        private static List<string> SplitTop(string text, string separator)
        {
            var parts = new List<string>();
            int depth = 0, start = 0;
            bool quoted = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                quoted ^= c == '\'';
                depth += quoted ? 0 : c == '(' ? 1 : c == ')' ? -1 : 0;
                if (!quoted && depth == 0 && string.Compare(text, i, separator, 0, separator.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    parts.Add(text.Substring(start, i - start));
                    start = i + separator.Length;
                    i = start - 1;
                }
            }

            parts.Add(text.Substring(start));
            return parts;
        }

        private static bool Balanced(string text)
        {
            int depth = 0;
            foreach (char c in text)
            {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth < 0)
                {
                    return false;
                }
            }

            return depth == 0;
        }

        /// <summary>The nearest <c>Directory.Build.props</c> at or above a project's folder, as MSBuild imports it.</summary>
        internal static string? NearestProps(string folder)
        {
            for (DirectoryInfo? current = new(folder); current is not null; current = current.Parent)
            {
                // Any case: a repository made on Windows may spell it Directory.build.props.
                string? candidate = null;
                try
                {
                    candidate = Directory.EnumerateFiles(current.FullName, "*.props")
                        .FirstOrDefault(f => string.Equals(Path.GetFileName(f), "Directory.Build.props", StringComparison.OrdinalIgnoreCase));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // A folder above that cannot be listed holds no props the scan can read.
                }

                if (candidate is not null)
                {
                    return candidate;
                }
            }

            return null;
        }

        private static XDocument? Load(string file)
        {
            try
            {
                var options = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
                using XmlReader reader = XmlReader.Create(file, options);
                XDocument document = XDocument.Load(reader);
                return document.Root is null ? null : document;
            }
            catch (Exception e) when (e is XmlException || e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
