using System;
using System.Collections.Generic;
using SecureByDesign.Resilience.Mutation;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>What testing one parser found.</summary>
    public sealed record ParserReport(string Parser, int CorpusFiles, long MutatedRuns, TimeSpan Elapsed, int Seed, int Restarts, IReadOnlyList<Finding> Findings, TextShape? Shape)
    {
        /// <summary>The one-line summary.</summary>
        public string Summary => FormattableString.Invariant(
            $"resilience: {Parser}: {CorpusFiles} corpus file(s) replayed, {MutatedRuns} mutated input(s) in {Elapsed.TotalSeconds:0.0} s (seed {Seed}), {Restarts} runner restart(s), {Findings.Count} failure(s)");
    }
}
