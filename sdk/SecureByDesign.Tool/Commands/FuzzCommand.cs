using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SecureByDesign.Resilience.Fuzzing;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd fuzz ASSEMBLY</c>: the resilience gate from the command line. Replays each parser's corpus, mutates for
    /// <c>--seconds</c>, and prints every failure as an MSBuild error line (so the SDK's task reports them as they are);
    /// exit 0 when every parser passes, 1 on a failure or a configuration error. <c>--replay FILE --parser NAME</c>
    /// runs one input.
    /// </summary>
    internal static class FuzzCommand
    {
        public static Command Create(CommandContext context)
        {
            var assembly = new Argument<FileInfo>("assembly") { Description = "The built assembly whose content parsers to test" };
            var parsers = new Option<string[]>("--parser") { Description = "A parser to test, Ns.Type.Method (repeatable; default: every [ContentParser] method)" };
            var allMarked = new Option<bool>("--all-marked") { Description = "Test every [ContentParser] method as well as the --parser ones" };
            var corpus = new Option<string[]>("--corpus") { Description = "A corpus file or folder, [PARSER=]PATH (repeatable; without PARSER= for every parser)" };
            var rejects = new Option<string[]>("--rejects") { Description = "A rejection exception type, [PARSER=]TYPE (repeatable; default: InvalidDataException, FormatException, JsonException, XmlException, DecoderFallbackException, EndOfStreamException)" };
            var seconds = new Option<double>("--seconds") { Description = "How long to mutate each parser (default 0: replay the corpus only)" };
            var seed = new Option<int>("--seed") { Description = "The mutation seed (default 0)" };
            var runs = new Option<long?>("--runs") { Description = "At most this many mutated inputs per parser" };
            var timeLimit = new Option<int>("--time-limit-ms") { Description = "The per-input time limit (default 1000)", DefaultValueFactory = _ => 1000 };
            var memoryLimit = new Option<int>("--memory-limit-mb") { Description = "The per-input memory limit, MB allocated (default 512)", DefaultValueFactory = _ => 512 };
            var output = new Option<DirectoryInfo>("--out") { Description = "Where failing inputs are written (default obj/sbd/resilience)" };
            var replay = new Option<FileInfo?>("--replay") { Description = "Run this one input through the one --parser and report how it ends" };
            Positive(seconds, 0);
            Positive(runs, 1);
            Positive(timeLimit, 1);
            Positive(memoryLimit, 1);
            var command = new Command("fuzz", "Test content parsers against their corpus and mutations of it, out of process (the resilience gate)")
            {
                assembly, parsers, allMarked, corpus, rejects, seconds, seed, runs, timeLimit, memoryLimit, output, replay,
            };
            command.SetAction(parse =>
            {
                string path = parse.GetValue(assembly)!.FullName;
                string[] names = parse.GetValue(parsers) ?? Array.Empty<string>();
                var options = new FuzzOptions
                {
                    Runner = RunnerCommand.ForTool(typeof(FuzzCommand).Assembly.Location),
                    OutputDirectory = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("obj", "sbd", "resilience")),
                    Seed = parse.GetValue(seed),
                    Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                    MaxRuns = parse.GetValue(runs) ?? long.MaxValue,
                    TimeLimit = TimeSpan.FromMilliseconds(parse.GetValue(timeLimit)),
                    MemoryLimitBytes = (long)parse.GetValue(memoryLimit) << 20,
                };
                List<ParserSetting> corpusSettings = Settings(parse.GetValue(corpus), names);
                List<ParserSetting> rejectSettings = Settings(parse.GetValue(rejects), names);
                if (parse.GetValue(replay) is { } input)
                {
                    if (names.Length != 1)
                    {
                        context.Error.WriteLine("usage: --replay needs exactly one --parser");
                        return Cli.Usage;
                    }

                    return Replay(context, path, names, rejectSettings, input, options);
                }

                ResilienceGate.Result result = ResilienceGate.Run(path, names, parse.GetValue(allMarked), corpusSettings, rejectSettings, options);
                foreach (string error in result.Errors)
                {
                    context.Output.WriteLine(error);
                }

                foreach (ParserReport report in result.Reports)
                {
                    foreach (Finding finding in report.Findings)
                    {
                        context.Output.WriteLine(finding.ToMessage(report.Shape));
                    }

                    context.Output.WriteLine(report.Summary);
                }

                if (result.Reports.Count == 0 && result.Errors.Count == 0)
                {
                    context.Output.WriteLine($"resilience: {Path.GetFileName(path)} declares no content parsers");
                }

                return result.Passed ? Cli.Ok : Cli.Problem;
            });
            return command;
        }

        private static int Replay(CommandContext context, string path, string[] names, List<ParserSetting> rejects, FileInfo input, FuzzOptions options)
        {
            var errors = new List<string>();
            IReadOnlyList<ParserTarget> targets = ResilienceGate.Plan(path, names, includeMarked: false, Array.Empty<ParserSetting>(), rejects, errors);
            if (!input.Exists)
            {
                errors.Add(GateCodes.Format(input.FullName, GateCodes.CorpusNotFound, $"the input to replay, '{input.FullName}', does not exist"));
            }

            if (errors.Count > 0)
            {
                errors.ForEach(context.Output.WriteLine);
                return Cli.Problem;
            }

            using var fuzzer = new Fuzzer(path, targets[0], options);
            Outcome outcome;
            try
            {
                outcome = fuzzer.Execute(File.ReadAllBytes(input.FullName));
            }
            catch (RunnerStartException e)
            {
                context.Output.WriteLine(GateCodes.Format(path, GateCodes.RunnerCannotStart, $"the resilience runner cannot run {names[0]}: {e.Message}"));
                return Cli.Problem;
            }

            if (outcome.IsPass)
            {
                context.Output.WriteLine(outcome.Kind == OutcomeKind.Passed ? $"{names[0]}: passed" : $"{names[0]}: rejected with {outcome.Reason}: {outcome.Message} (a pass)");
                return Cli.Ok;
            }

            var finding = new Finding(GateCodes.For(outcome.Kind), names[0], outcome, input.FullName, File.ReadAllBytes(input.FullName), "(this command)");
            context.Output.WriteLine(finding.ToMessage(shape: null));
            return Cli.Problem;
        }

        /// <summary>Splits <c>PARSER=VALUE</c> when PARSER is one of the named parsers or looks like one; else VALUE applies to all.</summary>
        private static List<ParserSetting> Settings(string[]? values, string[] names)
        {
            var settings = new List<ParserSetting>();
            foreach (string value in values ?? Array.Empty<string>())
            {
                int equals = value.IndexOf('=');
                string head = equals > 0 ? value.Substring(0, equals) : "";
                bool named = head.Length > 0 && (names.Contains(head) || (head.Contains('.') && !head.Contains('/') && !head.Contains('\\')));
                settings.Add(named ? new ParserSetting(head, value.Substring(equals + 1)) : new ParserSetting(null, value));
            }

            return settings;
        }

        private static void Positive<T>(Option<T> option, double minimum)
        {
            option.Validators.Add(result =>
            {
                object? value = result.GetValueOrDefault<T>();
                if (value is not null && Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) < minimum)
                {
                    result.AddError($"{option.Name} must be at least {minimum}");
                }
            });
        }
    }
}
