using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// Writes findings as a SARIF 2.1.0 log: one run, the rules reported with their help links, and each result
    /// located by a path relative to the scanned folder (base id <c>SRCROOT</c>).
    /// </summary>
    internal static class SarifLog
    {
        public static void Write(Stream stream, string root, IReadOnlyList<Diagnostic> findings, string toolVersion)
        {
            var rules = findings.Select(d => d.Descriptor).GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.First()).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            var ruleIndex = rules.Select((rule, index) => (rule.Id, index)).ToDictionary(r => r.Id, r => r.index, StringComparer.Ordinal);
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();

            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "SecureByDesign");
            json.WriteString("version", toolVersion);
            json.WriteString("informationUri", "https://github.com/SecureByDesign/SecureByDesign");
            json.WriteStartArray("rules");
            foreach (DiagnosticDescriptor rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", rule.Id);
                json.WriteStartObject("shortDescription");
                json.WriteString("text", rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
                if (!string.IsNullOrEmpty(rule.HelpLinkUri))
                {
                    json.WriteString("helpUri", rule.HelpLinkUri);
                }

                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(rule.DefaultSeverity));
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("category", rule.Category);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject("SRCROOT");
            json.WriteString("uri", new Uri(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar).AbsoluteUri);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartArray("results");
            foreach (Diagnostic finding in findings)
            {
                FileLinePositionSpan span = finding.Location.GetLineSpan();
                json.WriteStartObject();
                json.WriteString("ruleId", finding.Id);
                json.WriteNumber("ruleIndex", ruleIndex[finding.Id]);
                json.WriteString("level", Level(finding.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", finding.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", RelativeUri(root, span.Path));
                json.WriteString("uriBaseId", "SRCROOT");
                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", span.StartLinePosition.Line + 1);
                json.WriteNumber("startColumn", span.StartLinePosition.Character + 1);
                json.WriteNumber("endLine", span.EndLinePosition.Line + 1);
                json.WriteNumber("endColumn", span.EndLinePosition.Character + 1);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        private static string RelativeUri(string root, string path) =>
            string.Join('/', Path.GetRelativePath(root, path).Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

        private static string Level(DiagnosticSeverity severity) => severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "note",
        };
    }
}
