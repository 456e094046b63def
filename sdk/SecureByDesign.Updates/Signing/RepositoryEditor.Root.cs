using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>Root rotation: a new root version with other keys or thresholds (spec §5.3.4-5.3.6).</summary>
    public sealed partial class RepositoryEditor
    {
        /// <summary>
        /// Changes the keys or the threshold of a top-level role in root version N+1, written unsigned (or in the
        /// pending N+1 itself while nobody has signed it, so several changes make one version). Clients trust it once
        /// a threshold of version N's root keys and a threshold of its own have signed it: <see cref="Sign"/> with
        /// each. Keys no role uses any more leave the root. Returns the version written.
        /// </summary>
        public long EditRoot(string role, IEnumerable<Key> addKeys, IEnumerable<string> removeKeyIds, int? threshold)
        {
            Metadata<Root> current = _files.ReadRoot();
            Root root = current.Signed;
            if (!root.Roles.TryGetValue(role, out Role? old))
            {
                throw new RepositoryException(ProblemCodes.InvalidMetadata, $"{current.Source}: '{role}' is not a top-level role (root, timestamp, snapshot, targets)");
            }

            var remove = new HashSet<string>(removeKeyIds, StringComparer.Ordinal);
            var keys = root.Keys.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
            var keyIds = old.KeyIds.Where(id => !remove.Contains(id)).ToList();
            foreach (Key key in addKeys)
            {
                keys[key.Id] = key;
                if (!keyIds.Contains(key.Id))
                {
                    keyIds.Add(key.Id);
                }
            }

            int newThreshold = threshold ?? old.Threshold;
            if (newThreshold < 1 || newThreshold > keyIds.Count)
            {
                throw new RepositoryException(ProblemCodes.InvalidMetadata, $"{current.Source}: role '{role}' would have {keyIds.Count} key(s) and threshold {newThreshold}; a threshold needs as many keys");
            }

            var roles = root.Roles.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
            roles[role] = new Role(keyIds, newThreshold, old.Unrecognized);
            var used = keys.Where(k => roles.Values.Any(r => r.KeyIds.Contains(k.Key))).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
            long version = current.Signatures.Count == 0 && root.Version > 1 ? root.Version : root.Version + 1;
            var next = new Root(root.SpecVersion, version, Expiry("root"), root.ConsistentSnapshotField, used, roles, root.Unrecognized);
            _files.Write(RepositoryLayout.RootFile(version), next, Array.Empty<Signature>());
            return version;
        }
    }
}
