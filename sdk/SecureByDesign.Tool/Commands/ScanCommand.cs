using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using SecureByDesign.Tool.Scanning;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd scan FOLDER</c>: the SecureByDesign analyzers over a folder's C# sources without their build.
    /// Prints the findings as the compiler does, a count per rule, lines scanned, findings per 10k lines and the
    /// analyzers' time against the compiler's; exit 0 when nothing is found, 1 when something is.
    /// </summary>
    internal static class ScanCommand
    {
        public static Command Create(CommandContext context)
        {
            var folder = new Argument<DirectoryInfo>("folder") { Description = "The folder of C# sources to scan" };
            var sarif = new Option<FileInfo?>("--sarif") { Description = "Also write the findings to FILE as SARIF 2.1.0" };
            var exclude = new Option<string[]>("--exclude") { Description = "Also leave out folders with this name (repeatable; * matches any characters; case-insensitive)" };
            var noDefault = new Option<bool>("--no-default-excludes") { Description = "Scan the folders left out by default: " + string.Join(", ", SourceSet.DefaultExclusions) };
            var noRestore = new Option<bool>("--no-restore") { Description = "Do not restore the projects' package references (their types stay unresolved)" };
            var programs = new Option<bool>("--include-programs") { Description = "Also scan the programs beside a library (projects with OutputType Exe or WinExe: tools, generators, demos), left out when the folder holds a library" };
            var errors = new Option<bool>("--show-errors") { Description = "Print the compile errors too (sources built without their project rarely bind completely)" };
            var command = new Command("scan", "Run the SecureByDesign analyzers over a folder of C# sources, without building it")
            {
                folder, sarif, exclude, noDefault, programs, noRestore, errors,
            };
            command.SetAction(parse =>
            {
                DirectoryInfo root = parse.GetValue(folder)!;
                if (!root.Exists)
                {
                    context.Error.WriteLine($"usage: {root.FullName}: folder not found");
                    return Cli.Usage;
                }

                IEnumerable<string> exclusions = (parse.GetValue(noDefault) ? Array.Empty<string>() : SourceSet.DefaultExclusions)
                    .Concat(parse.GetValue(exclude) ?? Array.Empty<string>());
                FolderCompilation compilation = FolderCompilation.Build(root.FullName, exclusions, restore: !parse.GetValue(noRestore), programs: parse.GetValue(programs));
                AnalysisRun run = AnalysisRun.Run(compilation.Compilation, ShippedAnalyzers.Create());
                var findings = run.Findings
                    .Where(d => d.Location.IsInSource)
                    .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
                    .ThenBy(d => d.Location.SourceSpan.Start)
                    .ThenBy(d => d.Id, StringComparer.Ordinal)
                    .ToList();
                foreach (Diagnostic finding in findings)
                {
                    context.Output.WriteLine(Format(compilation.Sources, finding));
                }

                if (parse.GetValue(errors))
                {
                    foreach (Diagnostic error in run.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource))
                    {
                        context.Output.WriteLine(Format(compilation.Sources, error));
                    }
                }

                Report(context.Output, compilation, run, findings);
                if (parse.GetValue(sarif) is FileInfo sarifFile)
                {
                    using FileStream stream = File.Create(sarifFile.FullName);
                    SarifLog.Write(stream, compilation.Sources.Root, findings, ShippedAnalyzers.Version);
                }

                return findings.Count == 0 ? Cli.Ok : Cli.Problem;
            });
            return command;
        }

        /// <summary>As the compiler prints it: <c>path(line,col): warning SBDxxxx: message</c>, the path relative to the folder.</summary>
        internal static string Format(SourceSet sources, Diagnostic finding)
        {
            FileLinePositionSpan span = finding.Location.GetLineSpan();
            string severity = finding.Severity.ToString().ToLowerInvariant();
            return string.Create(CultureInfo.InvariantCulture, $"{sources.Relative(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {finding.Id}: {finding.GetMessage(CultureInfo.InvariantCulture)}");
        }

        private static void Report(TextWriter output, FolderCompilation compilation, AnalysisRun run, IReadOnlyList<Diagnostic> findings)
        {
            IFormatProvider n = CultureInfo.InvariantCulture;
            output.WriteLine();
            foreach (var rule in findings.GroupBy(d => d.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                output.WriteLine(string.Format(n, "{0}: {1}", rule.Key, rule.Count()));
            }

            SourceSet sources = compilation.Sources;
            output.WriteLine(string.Format(n, "scanned: {0:N0} files, {1:N0} lines; left out: {2}", sources.Files.Count, compilation.Lines, sources.ExcludedFolders.Count == 0 ? "nothing" : string.Join(", ", sources.ExcludedFolders.Select(f => f + "/"))));
            if (sources.Programs.Count > 0)
            {
                output.WriteLine("programs left out (--include-programs scans them): " + string.Join(", ", sources.Programs.Select(f => f + "/")));
            }

            double per10k = compilation.Lines == 0 ? 0 : findings.Count * 10_000.0 / compilation.Lines;
            output.WriteLine(string.Format(n, "findings: {0:N0}, {1:0.00} per 10k lines", findings.Count, per10k));
            double compile = (compilation.ParseTime + run.Bind.Time).TotalSeconds;
            output.WriteLine(string.Format(n, "time: parse {0:0.00} s + bind {1:0.00} s = compile {2:0.00} s; analyzers {3:0.00} s ({4:0}% of compile)", compilation.ParseTime.TotalSeconds, run.Bind.Time.TotalSeconds, compile, run.Analyzers.Time.TotalSeconds, compile == 0 ? 0 : 100 * run.Analyzers.Time.TotalSeconds / compile));
            output.WriteLine(string.Format(n, "processor time: bind {0:0.00} s; analyzers {1:0.00} s (on every thread; moves less than the times above when the machine is busy)", run.Bind.Processor.TotalSeconds, run.Analyzers.Processor.TotalSeconds));
            output.WriteLine("references: " + compilation.Framework.Description);
            foreach ((string project, string framework, IReadOnlyList<string> symbols) in compilation.Symbols.Projects)
            {
                output.WriteLine($"symbols: {Path.GetRelativePath(compilation.Sources.Root, project)} builds for {framework}: {string.Join(";", symbols)}");
            }

            output.WriteLine("packages: " + (compilation.Packages.Restored.Count == 0 ? "none restored" : "restored " + string.Join(", ", compilation.Packages.Restored.Select(p => $"{p.Key} {p.Value}"))));
            foreach ((string id, string why) in compilation.Packages.LeftOut)
            {
                output.WriteLine($"  left out {id}: {why}");
            }

            foreach (string unreadable in compilation.Projects.Unreadable)
            {
                output.WriteLine($"  project not read: {unreadable}");
            }

            output.WriteLine(string.Format(n, "generators: {0} ran, {1} files generated", compilation.Generators.Count, compilation.Generators.GeneratedFiles));
            foreach (string problem in compilation.Generators.Problems.Distinct(StringComparer.Ordinal).Take(10))
            {
                output.WriteLine("  " + problem);
            }

            var errors = run.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            string common = string.Join(", ", errors.GroupBy(d => d.Id, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5).Select(g => $"{g.Key} x{g.Count()}"));
            output.WriteLine(string.Format(n, "compile errors: {0:N0}{1} (the analyzers ran all the same)", errors.Count, errors.Count == 0 ? string.Empty : ": " + common));
            foreach (string exception in run.AnalyzerExceptions.Take(10))
            {
                output.WriteLine("analyzer exception: " + exception);
            }
        }
    }
}
