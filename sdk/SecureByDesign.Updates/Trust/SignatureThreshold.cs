using System;
using System.Collections.Generic;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Trust
{
    /// <summary>
    /// Whether a role's threshold of distinct keys signed metadata (spec §5.3.4, §5.4.2, §5.5.3, §5.6.3).
    /// A key counts once however many signatures carry its id, and however many ids list its public key; keys the role does not list, keys missing
    /// from the key map and keys of unknown types count for nothing.
    /// </summary>
    internal static class SignatureThreshold
    {
        public static int CountValid<T>(Metadata<T> metadata, Role role, IReadOnlyDictionary<string, Key> keys)
            where T : SignedMetadata
        {
            var counted = new HashSet<string>(StringComparer.Ordinal);
            var countedKeys = new HashSet<string>(StringComparer.Ordinal);
            var roleKeys = new HashSet<string>(role.KeyIds, StringComparer.Ordinal);
            foreach (Signature signature in metadata.Signatures)
            {
                if (counted.Contains(signature.KeyId) || !roleKeys.Contains(signature.KeyId) || !keys.TryGetValue(signature.KeyId, out Key? key))
                {
                    continue;
                }

                // One key listed under two ids (another key object, same public key) is still one key.
                if (PublicKeyEncoding.Identity(key) is not string identity || countedKeys.Contains(identity))
                {
                    continue;
                }

                if (SignatureVerifier.Verify(key, metadata.SignedBytes, signature.Sig))
                {
                    counted.Add(signature.KeyId);
                    countedKeys.Add(identity);
                }
            }

            return counted.Count;
        }

        public static void Require<T>(Metadata<T> metadata, Role role, IReadOnlyDictionary<string, Key> keys, string roleName, string signerDescription)
            where T : SignedMetadata
        {
            int valid = CountValid(metadata, role, keys);
            if (valid < role.Threshold)
            {
                string message = $"{metadata.Source}: {valid} valid signature(s) from distinct {signerDescription} keys of role '{roleName}', threshold is {role.Threshold}";
                throw valid == 0 ? new MissingSignatureException(message) : new UnsignedMetadataException(message);
            }
        }
    }
}
