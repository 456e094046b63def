using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>Delegations (spec §4.5): roles trusted for paths or hash prefixes, and hash bins (TAP 15).</summary>
    public sealed partial class RepositoryEditor
    {
        /// <summary>
        /// The most bits of hash bins the editor creates: 1,024 bins, each a metadata file, as many delegated roles
        /// as a whole-repository verification loads by default (<c>VerifierOptions.MaxDelegatedRoles</c>).
        /// </summary>
        public const int MaxBinBits = 10;

        /// <summary>
        /// Delegates from <paramref name="delegator"/> (<c>targets</c> or a delegated role) to <paramref name="role"/>,
        /// replacing a delegation of the same name; the delegator gets a new unsigned version and the role, when new,
        /// an empty unsigned version 1. Sign both, then snapshot and timestamp.
        /// </summary>
        public void Delegate(string delegator, DelegatedRole role, IEnumerable<Key> keys)
        {
            if (Root.TopLevelRoles.Contains(role.Name))
            {
                throw new RepositoryException(ProblemCodes.InvalidMetadata, $"'{role.Name}' is a top-level role name and cannot be delegated");
            }

            bool consistent = _files.ReadRoot().Signed.ConsistentSnapshot;
            Rewrite(delegator, consistent, current =>
            {
                Delegations? old = current.Delegations;
                if (old?.SuccinctRoles is not null)
                {
                    throw new RepositoryException(ProblemCodes.InvalidMetadata, $"'{delegator}' delegates to hash bins; it cannot also delegate to named roles");
                }

                var roles = (old?.Roles ?? Array.Empty<DelegatedRole>()).Where(r => r.Name != role.Name).Append(role).ToList();
                return (current.Files, new Delegations(KeysOf(roles, old?.Keys, keys), roles, old?.Unrecognized));
            });
            CreateEmptyRole(role.Name, consistent);
        }

        /// <summary>
        /// Delegates every path from <paramref name="delegator"/> to hash bins (TAP 15, <c>succinct_roles</c>), replacing
        /// its delegations; creates each bin, empty and unsigned. Sign the bins with <see cref="Sign"/> and their prefix.
        /// </summary>
        public void DelegateHashBins(string delegator, SuccinctRoles bins, IEnumerable<Key> keys)
        {
            if (bins.BitLength > MaxBinBits)
            {
                throw new RepositoryException(ProblemCodes.InvalidMetadata, $"{bins.BitLength} bits is {bins.BinCount} bins; the editor creates at most {MaxBinBits} bits");
            }

            bool consistent = _files.ReadRoot().Signed.ConsistentSnapshot;
            Rewrite(delegator, consistent, current =>
            {
                if (current.Delegations is { Roles.Count: > 0 })
                {
                    throw new RepositoryException(ProblemCodes.InvalidMetadata, $"'{delegator}' delegates to named roles; hash bins would replace them");
                }

                return (current.Files, new Delegations(KeysOf(new[] { bins }, null, keys), bins));
            });
            foreach (string bin in bins.RoleNames())
            {
                CreateEmptyRole(bin, consistent);
            }
        }

        // The keys the roles list: the given ones and the ones already delegated, each key a role still uses.
        private static Dictionary<string, Key> KeysOf(IEnumerable<Role> roles, IReadOnlyDictionary<string, Key>? old, IEnumerable<Key> added)
        {
            var all = (old ?? new Dictionary<string, Key>()).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
            foreach (Key key in added)
            {
                all[key.Id] = key;
            }

            var used = new HashSet<string>(roles.SelectMany(r => r.KeyIds), StringComparer.Ordinal);
            if (used.FirstOrDefault(id => !all.ContainsKey(id)) is string missing)
            {
                throw new RepositoryException(ProblemCodes.InvalidMetadata, $"key {missing} is listed for a role but not given");
            }

            return all.Where(k => used.Contains(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        }

        private void CreateEmptyRole(string role, bool consistent)
        {
            if (_files.ExistingFile(role, consistent) is null)
            {
                var targets = new Targets(SpecVersion, 1, Expiry(role), new Dictionary<string, TargetFile>(), null);
                _files.Write(RepositoryLayout.MetadataFile(role, 1, consistent), targets, Array.Empty<Signature>());
            }
        }

        // The role a target goes to: the named delegated role, when trusted for the path, or the path's bin.
        private static string DestinationOf(string role, string path, IReadOnlyList<(string Role, Metadata<Targets> Metadata, Role? Delegation)> graph)
        {
            foreach ((string name, _, Role? delegation) in graph)
            {
                if (delegation is SuccinctRoles bins && (bins.NamePrefix == role || name == role))
                {
                    string bin = bins.RoleForTarget(path);
                    return bin == role || bins.NamePrefix == role ? bin : throw NotTrusted(role, path);
                }

                if (name == role)
                {
                    return delegation is DelegatedRole named && named.IsDelegatedPath(path) ? role : throw NotTrusted(role, path);
                }
            }

            throw new RepositoryException(ProblemCodes.MetadataMissing, $"role '{role}': no delegation names it; delegate it first");
        }

        private static RepositoryException NotTrusted(string role, string path) =>
            new RepositoryException(ProblemCodes.UntrustedDelegation, $"target '{path}': role '{role}' is not trusted for this path");

        private void SignDelegated(string role, KeySigner signer, bool consistent)
        {
            var matching = _files.ReadTargetsRoles(consistent)
                .Where(r => r.Role == role || (r.Delegation is SuccinctRoles bins && bins.NamePrefix == role))
                .ToList();
            if (matching.Count == 0)
            {
                throw new RepositoryException(ProblemCodes.MetadataMissing, $"role '{role}': no delegation names it");
            }

            foreach ((string name, Metadata<Targets> metadata, Role? delegation) in matching)
            {
                if (!delegation!.KeyIds.Contains(signer.PublicKey.Id))
                {
                    throw new UnsignedMetadataException($"{metadata.Source}: key {signer.PublicKey.Id} is not a key of role '{name}'");
                }

                AddSignature(metadata, metadata.Source, signer);
            }
        }
    }
}
