using System.Collections.Generic;
using System.Security.Cryptography;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Trust
{
    /// <summary>Length and hash checks of bytes against a listing (spec §5.5.2, §5.6.2: mix-and-match).</summary>
    internal static class MetaFileCheck
    {
        /// <summary>Creates the hash algorithm a TUF hash name means; null when it is not supported.</summary>
        public static HashAlgorithm? CreateHash(string name) => name switch
        {
            "sha256" => SHA256.Create(),
            "sha512" => SHA512.Create(),
            _ => null,
        };

        public static void Check(byte[] bytes, MetaFile meta, string source)
        {
            if (meta.Length is long length && length != bytes.LongLength)
            {
                throw new LengthOrHashMismatchException(ProblemCodes.MetadataLengthMismatch, $"{source}: {bytes.LongLength} bytes, listed as {length}");
            }

            if (meta.Hashes is not null)
            {
                foreach (KeyValuePair<string, string> hash in meta.Hashes)
                {
                    using HashAlgorithm? algorithm = CreateHash(hash.Key);
                    if (algorithm is null)
                    {
                        throw new LengthOrHashMismatchException(ProblemCodes.MetadataHashMismatch, $"{source}: listed with unsupported hash algorithm '{hash.Key}'");
                    }

                    string actual = Hex.Encode(algorithm.ComputeHash(bytes));
                    if (!Hex.FixedTimeEquals(actual, hash.Value))
                    {
                        throw new LengthOrHashMismatchException(ProblemCodes.MetadataHashMismatch, $"{source}: {hash.Key} {actual}, listed as {hash.Value}");
                    }
                }
            }
        }

    }
}
