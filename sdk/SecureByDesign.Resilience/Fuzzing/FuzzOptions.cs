using System;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Fuzzing
{
    /// <summary>How long and how hard to test, and where to put what fails.</summary>
    public sealed class FuzzOptions
    {
        /// <summary>How to start a runner.</summary>
        public required RunnerCommand Runner { get; init; }

        /// <summary>Where failing inputs go, one folder per parser.</summary>
        public required string OutputDirectory { get; init; }

        /// <summary>The seed of the mutations; fixed by default so a build is reproducible.</summary>
        public int Seed { get; init; }

        /// <summary>How long to mutate each parser; zero replays the corpus only.</summary>
        public TimeSpan Duration { get; init; }

        /// <summary>At most this many mutated inputs per parser (for runs that must repeat exactly), or unbounded.</summary>
        public long MaxRuns { get; init; } = long.MaxValue;

        /// <summary>The per-input time limit.</summary>
        public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(1);

        /// <summary>The per-input memory limit: bytes allocated during one run.</summary>
        public long MemoryLimitBytes { get; init; } = 512L << 20;

        /// <summary>Runs spent shrinking a failure that costs little (an exception).</summary>
        public int ShrinkRuns { get; init; } = 2000;

        /// <summary>Runs spent shrinking a failure that costs a restart or a time limit each (a hang, a death, memory).</summary>
        public int ShrinkSlowRuns { get; init; } = 16;
    }

    /// <summary>One parser to test, with its corpus and its declared rejection types (none: the defaults).</summary>
    public sealed record ParserTarget(Parsers.ParserMethod Parser, System.Collections.Generic.IReadOnlyList<string> CorpusFiles, System.Collections.Generic.IReadOnlyList<string> Rejects);
}
