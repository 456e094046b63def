using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Finds the role trusted for a target path (spec §5.6.7): a pre-order depth-first walk from
    /// <c>targets</c> through the delegations trusted for that path, in listed order, skipping roles already
    /// visited, stopping below a terminating delegation, and visiting at most a fixed number of roles. Hash
    /// bins (TAP 15) offer the one bin of the path, which terminates.
    /// </summary>
    internal static class DelegationSearch
    {
        public enum Outcome
        {
            Found,
            NotFound,
            LimitReached,
        }

        /// <param name="path">The target path.</param>
        /// <param name="trusted">The targets roles that verified, by name; others are passed over, and so is a role whose
        /// delegator on the path reached does not accept it (<paramref name="acceptsDelegation"/> false).</param>
        /// <param name="acceptsDelegation">Whether a role (name, delegator) verifies under that delegator.</param>
        /// <param name="maxDelegations">The most roles to visit.</param>
        /// <param name="role">The role that lists the target, when found.</param>
        /// <param name="target">The listing, when found.</param>
        public static Outcome Find(string path, IReadOnlyDictionary<string, Metadata<Targets>> trusted, Func<string, string, bool> acceptsDelegation, int maxDelegations, out string? role, out TargetFile? target)
        {
            // Every load completes at once here, so waiting on the task never blocks.
            Result result = FindAsync(
                path,
                (name, parent) => Task.FromResult(trusted.TryGetValue(name, out Metadata<Targets>? metadata) && acceptsDelegation(name, parent) ? metadata : null),
                maxDelegations).GetAwaiter().GetResult();
            role = result.Role;
            target = result.Target;
            return result.Outcome;
        }

        /// <summary>The same search over roles loaded on demand (a client downloads each role when first visited).</summary>
        /// <param name="path">The target path.</param>
        /// <param name="load">Gives a role's trusted metadata from its name and its delegator's, or null to pass it over.</param>
        /// <param name="maxDelegations">The most roles to visit.</param>
        public static async Task<Result> FindAsync(string path, Func<string, string, Task<Metadata<Targets>?>> load, int maxDelegations)
        {
            var toVisit = new List<(string Name, string Parent)> { ("targets", "root") };
            var visited = new HashSet<string>(StringComparer.Ordinal);
            int budget = maxDelegations;
            while (budget > 0 && toVisit.Count > 0)
            {
                (string name, string parent) = toVisit[toVisit.Count - 1];
                toVisit.RemoveAt(toVisit.Count - 1);
                if (!visited.Add(name) || await load(name, parent).ConfigureAwait(false) is not Metadata<Targets> metadata)
                {
                    continue;
                }

                if (metadata.Signed.Files.TryGetValue(path, out TargetFile? file))
                {
                    return new Result(Outcome.Found, name, file);
                }

                budget--;
                if (metadata.Signed.Delegations is not Delegations delegations)
                {
                    continue;
                }

                var children = new List<(string Name, string Parent)>();
                foreach ((string child, bool terminating) in delegations.RolesForTarget(path))
                {
                    children.Add((child, name));
                    if (terminating)
                    {
                        toVisit.Clear();
                        break;
                    }
                }

                children.Reverse();
                toVisit.AddRange(children);
            }

            return new Result(toVisit.Count > 0 ? Outcome.LimitReached : Outcome.NotFound, null, null);
        }

        /// <summary>The outcome, and the role and listing when found.</summary>
        public sealed class Result
        {
            public Result(Outcome outcome, string? role, TargetFile? target)
            {
                Outcome = outcome;
                Role = role;
                Target = target;
            }

            public Outcome Outcome { get; }

            public string? Role { get; }

            public TargetFile? Target { get; }
        }
    }
}
