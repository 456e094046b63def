using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Policy
{
    /// <summary>
    /// Staged rollout against the previous release: content new to a path (another SHA-256 than the previous
    /// release lists) starts in the first ring; content moves at most one ring per release, and only after
    /// soaking for its ring's minimum time since it entered it (the previous release's <c>since</c>). The
    /// <c>since</c> of content that enters a ring must be the release time (within the policy's clock skew);
    /// content that stays in its ring keeps the previous release's <c>since</c>, so a soak cannot be backdated.
    /// </summary>
    public static class RolloutCheck
    {
        /// <summary>The problems, in target path order. <paramref name="previous"/> is null for a first release.</summary>
        public static IReadOnlyList<Problem> Check(
            IReadOnlyDictionary<string, TrustedTarget> targets,
            IReadOnlyDictionary<string, TargetFile>? previous,
            RolloutPolicy policy,
            DateTimeOffset now)
        {
            var problems = new List<Problem>();
            foreach (KeyValuePair<string, TrustedTarget> entry in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (CheckOne(entry.Key, entry.Value.File, previous, policy, now) is Problem problem)
                {
                    problems.Add(problem);
                }
            }

            return problems;
        }

        private static Problem? CheckOne(string path, TargetFile target, IReadOnlyDictionary<string, TargetFile>? previous, RolloutPolicy policy, DateTimeOffset now)
        {
            TargetRollout? rollout = TargetRollout.Read(target, out Problem? invalid);
            if (invalid is not null)
            {
                return invalid;
            }

            if (rollout is null)
            {
                return policy.Required ? new Problem(ProblemCodes.InvalidRolloutDeclaration, $"target '{path}': no custom.rollout ring; every target must declare one") : null;
            }

            int ring = policy.IndexOf(rollout.Ring);
            if (ring < 0)
            {
                string known = string.Join(", ", policy.Rings.Select(r => r.Name));
                return new Problem(ProblemCodes.InvalidRolloutDeclaration, $"target '{path}': custom.rollout.ring '{rollout.Ring}' is not one of {known}");
            }

            TargetFile? before = null;
            bool same = previous is not null && previous.TryGetValue(path, out before) && SameContent(before, target);
            TargetRollout? earlier = same ? TargetRollout.Read(before!, out _) : null;
            int earlierRing = earlier is null ? -1 : policy.IndexOf(earlier.Ring);
            if (same && earlierRing == ring)
            {
                return Equals(earlier!.Since, rollout.Since)
                    ? null
                    : new Problem(ProblemCodes.RolloutViolation, $"target '{path}': stays in ring '{rollout.Ring}' but custom.rollout.since is {Format(rollout.Since)}, not the previous release's {Format(earlier.Since)}");
            }

            if (ring > 0 && OrderProblem(path, rollout, ring, same, earlier, earlierRing, policy, now) is Problem order)
            {
                return order;
            }

            // The content enters the ring with this release, so its soak starts now: a backdated since would skip it.
            TimeSpan skew = policy.AllowedClockSkew;
            if (rollout.Since is DateTimeOffset entered && (entered < now - skew || entered > now + skew))
            {
                return new Problem(ProblemCodes.RolloutViolation, $"target '{path}': enters ring '{rollout.Ring}' with custom.rollout.since {Format(entered)}, more than {skew.TotalHours:0.##} hour(s) from the release time {Format(now)}");
            }

            return null;
        }

        private static Problem? OrderProblem(string path, TargetRollout rollout, int ring, bool same, TargetRollout? earlier, int earlierRing, RolloutPolicy policy, DateTimeOffset now)
        {
            string first = policy.Rings[0].Name;
            if (!same)
            {
                return new Problem(ProblemCodes.RolloutViolation, $"target '{path}': new content in ring '{rollout.Ring}'; it must ship in '{first}' first");
            }

            if (earlierRing > ring)
            {
                return null;
            }

            string expected = policy.Rings[ring - 1].Name;
            if (earlierRing != ring - 1)
            {
                string was = earlier is null ? "no ring" : $"ring '{earlier.Ring}'";
                return new Problem(ProblemCodes.RolloutViolation, $"target '{path}': moves from {was} to '{rollout.Ring}' without shipping in '{expected}'");
            }

            TimeSpan soak = policy.Rings[ring - 1].MinimumSoak;
            if (earlier!.Since is not DateTimeOffset since)
            {
                return new Problem(ProblemCodes.RolloutViolation, $"target '{path}': the previous release gives no custom.rollout.since for ring '{expected}', so its soak time is unknown");
            }

            if (now - since < soak)
            {
                return new Problem(ProblemCodes.RolloutViolation, $"target '{path}': in ring '{expected}' for {(now - since).TotalHours:0.#} hours, less than its minimum soak of {soak.TotalHours:0.#} hours");
            }

            return null;
        }

        private static string Format(DateTimeOffset? time) => time is DateTimeOffset t ? Trust.TrustedMetadataSet.Format(t) : "absent";

        private static bool SameContent(TargetFile a, TargetFile b) =>
            a.Length == b.Length && a.Hashes.TryGetValue("sha256", out string? hash) && b.Hashes.TryGetValue("sha256", out string? other) && hash == other;
    }
}
