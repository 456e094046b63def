using System;
using System.Collections.Generic;

namespace SecureByDesign.Updates.Policy
{
    /// <summary>
    /// Staged rollout (GATES.md, "safe deployment"): the rings in order, each with the time content must soak
    /// in it before it may move to the next, and whether every target must declare its ring.
    /// </summary>
    public sealed class RolloutPolicy
    {
        /// <summary>Creates a policy.</summary>
        public RolloutPolicy(IReadOnlyList<RolloutRing> rings, bool required = true, TimeSpan? allowedClockSkew = null)
        {
            Rings = rings;
            Required = required;
            AllowedClockSkew = allowedClockSkew ?? TimeSpan.FromHours(1);
        }

        /// <summary>canary (1 day), early (2 days), broad: the default rings.</summary>
        public static RolloutPolicy Default { get; } = new RolloutPolicy(new[]
        {
            new RolloutRing("canary", TimeSpan.FromDays(1)),
            new RolloutRing("early", TimeSpan.FromDays(2)),
            new RolloutRing("broad", TimeSpan.Zero),
        });

        /// <summary>The rings, first (smallest audience) to last (everyone).</summary>
        public IReadOnlyList<RolloutRing> Rings { get; }

        /// <summary>Whether a target without <c>custom.rollout</c> is a problem (<c>SecureByDesignRequireRollout</c>).</summary>
        public bool Required { get; }

        /// <summary>
        /// How far the <c>since</c> of content entering a ring may be from the release time, either way (default
        /// 1 hour): signing and verifying happen at slightly different times on clocks that differ slightly.
        /// </summary>
        public TimeSpan AllowedClockSkew { get; }

        /// <summary>The index of a ring by name; -1 when unknown.</summary>
        public int IndexOf(string ring)
        {
            for (int i = 0; i < Rings.Count; i++)
            {
                if (string.Equals(Rings[i].Name, ring, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>A rollout ring and the minimum time content stays in it before the next ring.</summary>
    public sealed class RolloutRing
    {
        /// <summary>Creates a ring.</summary>
        public RolloutRing(string name, TimeSpan minimumSoak)
        {
            Name = name;
            MinimumSoak = minimumSoak;
        }

        /// <summary>The ring's name as targets declare it.</summary>
        public string Name { get; }

        /// <summary>How long content must have been in this ring before it moves on.</summary>
        public TimeSpan MinimumSoak { get; }
    }
}
