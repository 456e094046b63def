using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Loads every delegated role of a repository: pre-order, in listed order, each role once (the order a
    /// search visits them in). Iterative, so a deep chain cannot exhaust the stack, and capped at a number of
    /// roles loaded in all.
    /// </summary>
    internal static class DelegationLoader
    {
        /// <summary>Calls <paramref name="load"/> (role, delegator) per role; the message when the cap stopped it.</summary>
        public static IEnumerable<string> LoadAll(TrustedMetadataSet set, int maxRoles, Action<string, string> load)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal) { "targets" };
            var pending = new Stack<(string Role, string Delegator)>();
            PushChildren(set, "targets", pending, maxRoles);
            int loaded = 0;
            while (pending.Count > 0)
            {
                (string role, string delegator) = pending.Pop();
                if (!visited.Add(role))
                {
                    continue;
                }

                if (loaded == maxRoles)
                {
                    return new[] { $"delegations: more than {maxRoles} delegated roles; '{role}' and the roles after it were not loaded" };
                }

                loaded++;
                load(role, delegator);
                PushChildren(set, role, pending, maxRoles);
            }

            return Array.Empty<string>();
        }

        private static void PushChildren(TrustedMetadataSet set, string role, Stack<(string Role, string Delegator)> pending, int maxRoles)
        {
            if (!set.TargetsRoles.TryGetValue(role, out Metadata<Targets>? metadata) || metadata.Signed.Delegations is not Delegations delegations)
            {
                return;
            }

            // Pushed in reverse so the first listed pops first; hash bins are capped by the loader's own count.
            foreach (string child in delegations.RoleNames().Take(maxRoles + 1).Reverse())
            {
                pending.Push((child, role));
            }
        }
    }
}
