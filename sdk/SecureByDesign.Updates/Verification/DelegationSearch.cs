using System;
using System.Collections.Generic;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Finds the role trusted for a target path (spec §5.6.7): a pre-order depth-first walk from
    /// <c>targets</c> through the delegations trusted for that path, in listed order, skipping roles already
    /// visited, stopping below a terminating delegation, and visiting at most a fixed number of roles.
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
        /// <param name="trusted">The targets roles that verified, by name; others are passed over.</param>
        /// <param name="maxDelegations">The most roles to visit.</param>
        /// <param name="role">The role that lists the target, when found.</param>
        /// <param name="target">The listing, when found.</param>
        public static Outcome Find(string path, IReadOnlyDictionary<string, Metadata<Targets>> trusted, int maxDelegations, out string? role, out TargetFile? target)
        {
            role = null;
            target = null;
            var toVisit = new List<string> { "targets" };
            var visited = new HashSet<string>(StringComparer.Ordinal);
            int budget = maxDelegations;
            while (budget > 0 && toVisit.Count > 0)
            {
                string name = toVisit[toVisit.Count - 1];
                toVisit.RemoveAt(toVisit.Count - 1);
                if (!visited.Add(name) || !trusted.TryGetValue(name, out Metadata<Targets>? metadata))
                {
                    continue;
                }

                if (metadata.Signed.Files.TryGetValue(path, out TargetFile? file))
                {
                    role = name;
                    target = file;
                    return Outcome.Found;
                }

                budget--;
                if (metadata.Signed.Delegations is not Delegations delegations)
                {
                    continue;
                }

                var children = new List<string>();
                foreach (DelegatedRole child in delegations.Roles)
                {
                    if (!child.IsDelegatedPath(path))
                    {
                        continue;
                    }

                    children.Add(child.Name);
                    if (child.Terminating)
                    {
                        toVisit.Clear();
                        break;
                    }
                }

                children.Reverse();
                toVisit.AddRange(children);
            }

            return toVisit.Count > 0 ? Outcome.LimitReached : Outcome.NotFound;
        }
    }
}
