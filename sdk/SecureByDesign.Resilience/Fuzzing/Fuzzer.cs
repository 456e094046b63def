using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using SecureByDesign.Resilience.Mutation;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>
    /// Tests one parser: replays its corpus (every file must parse), then runs mutated inputs for the time budget,
    /// restarting the runner whenever it dies or hangs; each new failure is shrunk, written to
    /// <c>OUTPUT/PARSER/HASH.bin</c> and reported once.
    /// </summary>
    public sealed class Fuzzer : IDisposable
    {
        private readonly string assemblyPath;
        private readonly ParserTarget target;
        private readonly FuzzOptions options;
        private readonly Rejections rejections;
        private RunnerProcess? runner;
        private int starts;

        /// <summary>Creates the fuzzer; nothing starts until <see cref="Run"/>.</summary>
        public Fuzzer(string assemblyPath, ParserTarget target, FuzzOptions options)
        {
            this.assemblyPath = assemblyPath;
            this.target = target;
            this.options = options;
            rejections = new Rejections(target.Rejects);
        }

        /// <summary>The seed this parser's mutations use: the run's seed mixed with the parser's name, so parsers differ.</summary>
        public int Seed => options.Seed ^ StableHash(target.Parser.Name);

        /// <summary>
        /// Runs one input as the gate would (starting a runner if needed). A time limit counts only when a second run of
        /// the same input also hits it: a busy build machine can starve one run (or a runner's first, JIT-bound run),
        /// and a gate that fails on that would fail builds at random.
        /// </summary>
        /// <exception cref="RunnerStartException">The runner could not start or load the parser.</exception>
        public Outcome Execute(byte[] input)
        {
            Outcome outcome = RunOnce(input);
            return outcome.Kind == OutcomeKind.TimeLimit ? RunOnce(input) : outcome;
        }

        private Outcome RunOnce(byte[] input)
        {
            if (runner is null || !runner.IsAlive)
            {
                runner?.Dispose();
                runner = RunnerProcess.Start(options.Runner, assemblyPath, target.Parser, rejections, options.MemoryLimitBytes);
                starts++;
            }

            return runner.Run(input, options.TimeLimit);
        }

        /// <summary>Replays the corpus, then mutates for the budget.</summary>
        /// <exception cref="RunnerStartException">The runner could not start or load the parser.</exception>
        public ParserReport Run()
        {
            var clock = Stopwatch.StartNew();
            var findings = new List<Finding>();
            var seeds = new List<byte[]>();
            foreach (string file in target.CorpusFiles)
            {
                byte[] content = File.ReadAllBytes(file);
                Outcome outcome = Execute(content);
                if (outcome.Kind == OutcomeKind.Passed)
                {
                    seeds.Add(content);
                }
                else
                {
                    findings.Add(new Finding(GateCodes.CorpusRejected, target.Parser.Name, outcome, file, content, ReplayCommand(file)));
                }
            }

            TextShape? shape = TextShape.Detect(seeds);
            var known = new HashSet<string>(StringComparer.Ordinal);
            long runs = 0;
            if (options.Duration > TimeSpan.Zero && options.MaxRuns > 0)
            {
                var mutator = new Mutator(seeds, shape, Seed);
                var budget = Stopwatch.StartNew();
                byte[] input = Array.Empty<byte>();
                while (budget.Elapsed < options.Duration && runs < options.MaxRuns)
                {
                    Outcome outcome = Execute(input);
                    runs++;
                    if (!outcome.IsPass && known.Add(outcome.Signature))
                    {
                        findings.Add(Report(input, outcome, shape));
                    }

                    input = mutator.Next();
                }
            }

            return new ParserReport(target.Parser.Name, target.CorpusFiles.Count, runs, clock.Elapsed, options.Seed, Math.Max(0, starts - 1), findings, shape);
        }

        /// <summary>Ends the runner.</summary>
        public void Dispose() => runner?.Dispose();

        private Finding Report(byte[] input, Outcome outcome, TextShape? shape)
        {
            bool slow = outcome.Kind is OutcomeKind.TimeLimit or OutcomeKind.Died or OutcomeKind.MemoryLimit;
            byte[] shrunk = Shrinker.Shrink(input, shape, candidate => Execute(candidate).Signature == outcome.Signature, slow ? options.ShrinkSlowRuns : options.ShrinkRuns);
            string folder = Path.Combine(options.OutputDirectory, target.Parser.Name);
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, Convert.ToHexString(SHA256.HashData(shrunk), 0, 8).ToLowerInvariant() + ".bin");
            File.WriteAllBytes(file, shrunk);
            return new Finding(GateCodes.For(outcome.Kind), target.Parser.Name, outcome, file, shrunk, ReplayCommand(file));
        }

        private string ReplayCommand(string input)
        {
            string rejects = string.Concat(target.Rejects.Select(r => " --rejects " + r));
            return $"sbd fuzz --replay \"{input}\" --parser {target.Parser.Name}{rejects} \"{assemblyPath}\"";
        }

        /// <summary>FNV-1a: string.GetHashCode differs from one process to the next.</summary>
        private static int StableHash(string text)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)hash;
        }
    }
}
