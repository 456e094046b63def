using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// What the scan takes from project files without evaluating them: package references (with central versions
    /// from <c>Directory.Packages.props</c>), and whether any project turns on implicit usings, nullable
    /// annotations or the ASP.NET Core framework. Conditions and properties are not evaluated: every reference
    /// under any condition counts, and for an id the highest version wins.
    /// </summary>
    internal sealed class ProjectSettings
    {
        /// <summary>Package references: id to version ("*", the newest, when the version is not written down).</summary>
        public SortedDictionary<string, string> Packages { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Project files that could not be read, with why.</summary>
        public List<string> Unreadable { get; } = new();

        /// <summary>Some project has <c>ImplicitUsings</c> on.</summary>
        public bool ImplicitUsings { get; private set; }

        /// <summary>Some project has <c>Nullable</c> on.</summary>
        public bool Nullable { get; private set; }

        /// <summary>Some project uses the Web SDK or references the ASP.NET Core framework.</summary>
        public bool AspNetCore { get; private set; }

        /// <summary>Reads <paramref name="projectFiles"/> (<c>.csproj</c>, <c>Directory.Build.props</c>, <c>Directory.Packages.props</c>).</summary>
        public static ProjectSettings Read(IEnumerable<string> projectFiles)
        {
            var settings = new ProjectSettings();
            var central = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var references = new List<(string Id, string? Version)>();
            foreach (string file in projectFiles)
            {
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
