using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureByDesign.Resilience.Parsers;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>A corpus path or a rejection type, for one parser or (with no parser) for all of them.</summary>
    public sealed record ParserSetting(string? Parser, string Value);

    /// <summary>
    /// The whole gate over one assembly: finds its parsers, checks the configuration (unknown parsers, missing corpus
    /// files, a runner that cannot load: all errors, never a pass), and tests every parser.
    /// </summary>
    public static class ResilienceGate
    {
        /// <summary>What the gate found.</summary>
        /// <param name="Reports">One per parser tested.</param>
        /// <param name="Errors">Configuration errors (SBD705x), as MSBuild error lines.</param>
        public sealed record Result(IReadOnlyList<ParserReport> Reports, IReadOnlyList<string> Errors)
        {
            /// <summary>Whether nothing failed and nothing stopped the gate from deciding.</summary>
            public bool Passed => Errors.Count == 0 && Reports.All(r => r.Findings.Count == 0);
        }

        /// <summary>
        /// Tests the parsers of <paramref name="assemblyPath"/>: the named ones, and every marked one when
        /// <paramref name="includeMarked"/> (or when none is named).
        /// </summary>
        public static Result Run(string assemblyPath, IReadOnlyCollection<string> parserNames, bool includeMarked, IReadOnlyList<ParserSetting> corpus, IReadOnlyList<ParserSetting> rejects, FuzzOptions options)
        {
            var errors = new List<string>();
            var targets = Plan(assemblyPath, parserNames, includeMarked, corpus, rejects, errors);
            var reports = new List<ParserReport>();
            if (errors.Count > 0)
            {
                return new Result(reports, errors);
            }

            foreach (ParserTarget target in targets)
            {
                using var fuzzer = new Fuzzer(assemblyPath, target, options);
                try
                {
                    reports.Add(fuzzer.Run());
                }
                catch (RunnerStartException e)
                {
                    errors.Add(GateCodes.Format(assemblyPath, GateCodes.RunnerCannotStart, $"the resilience runner cannot run {target.Parser.Name}: {e.Message}"));
                }
            }

            return new Result(reports, errors);
        }

        /// <summary>The parsers to test with their corpus files and rejection types, or the configuration errors.</summary>
        public static IReadOnlyList<ParserTarget> Plan(string assemblyPath, IReadOnlyCollection<string> parserNames, bool includeMarked, IReadOnlyList<ParserSetting> corpus, IReadOnlyList<ParserSetting> rejects, List<string> errors)
        {
            Discovery discovery;
            try
            {
                discovery = ParserDiscovery.Discover(assemblyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                errors.Add(GateCodes.Format(assemblyPath, GateCodes.RunnerCannotStart, $"the resilience gate cannot read the assembly: {e.Message}"));
                return Array.Empty<ParserTarget>();
            }

            includeMarked |= parserNames.Count == 0;
            foreach (string problem in includeMarked ? discovery.Misdeclared : Array.Empty<string>())
            {
                errors.Add(GateCodes.Format(assemblyPath, GateCodes.UnknownParser, problem));
            }

            IReadOnlyList<ParserMethod> parsers = discovery.Select(parserNames, includeMarked, out IReadOnlyList<string> unknown);
            foreach (string name in unknown)
            {
                errors.Add(GateCodes.Format(assemblyPath, GateCodes.UnknownParser, $"content parser '{name}' is not {ParserDiscovery.Shape} in {Path.GetFileName(assemblyPath)}"));
            }

            var known = new HashSet<string>(parsers.Select(p => p.Name), StringComparer.Ordinal);
            foreach (ParserSetting setting in corpus.Concat(rejects).Where(s => s.Parser is not null && !known.Contains(s.Parser)))
            {
                errors.Add(GateCodes.Format(assemblyPath, GateCodes.UnknownParser, $"'{setting.Parser}={setting.Value}' names no content parser being tested"));
            }

            return parsers.Select(p => new ParserTarget(p, CorpusFiles(p, corpus, errors), For(p, rejects).ToArray())).ToArray();
        }

        private static IEnumerable<string> For(ParserMethod parser, IReadOnlyList<ParserSetting> settings) =>
            settings.Where(s => s.Parser is null || s.Parser == parser.Name).Select(s => s.Value);

        private static IReadOnlyList<string> CorpusFiles(ParserMethod parser, IReadOnlyList<ParserSetting> corpus, List<string> errors)
        {
            var files = new List<string>();
            foreach (string path in For(parser, corpus))
            {
                if (Directory.Exists(path))
                {
                    files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
                }
                else if (File.Exists(path))
                {
                    files.Add(path);
                }
                else
                {
                    errors.Add(GateCodes.Format(path, GateCodes.CorpusNotFound, $"the corpus of {parser.Name} names '{path}', which does not exist"));
                }
            }

            return files.Distinct(StringComparer.Ordinal).ToArray();
        }
    }
}
