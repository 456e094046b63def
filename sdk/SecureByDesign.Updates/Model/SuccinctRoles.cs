using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// Hash-bin delegations in one entry (TAP 15, <c>succinct_roles</c>): <c>2^bit_length</c> terminating
    /// roles named <c>PREFIX-HEX</c> (the bin number in lowercase hex, zero-padded to the width of the last
    /// bin), all with the same keys and threshold. A target belongs to the bin numbered by the leading
    /// <c>bit_length</c> bits of the SHA-256 of its path.
    /// </summary>
    public sealed class SuccinctRoles : Role
    {
        /// <summary>Creates hash-bin delegations; <paramref name="bitLength"/> is 1 to 32.</summary>
        public SuccinctRoles(IReadOnlyList<string> keyIds, int threshold, int bitLength, string namePrefix, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : base(keyIds, threshold, unrecognized)
        {
            if (bitLength < 1 || bitLength > 32)
            {
                throw new ArgumentOutOfRangeException(nameof(bitLength), "bit_length must be between 1 and 32");
            }

            BitLength = bitLength;
            NamePrefix = namePrefix;
            SuffixLength = (BinCount - 1).ToString("x", CultureInfo.InvariantCulture).Length;
        }

        /// <summary>How many leading bits of the path hash choose the bin.</summary>
        public int BitLength { get; }

        /// <summary>What every bin name starts with, before the hyphen.</summary>
        public string NamePrefix { get; }

        /// <summary>The number of bins, <c>2^BitLength</c>.</summary>
        public long BinCount => 1L << BitLength;

        private int SuffixLength { get; }

        /// <summary>The name of bin <paramref name="bin"/>.</summary>
        public string BinName(long bin) => NamePrefix + "-" + bin.ToString("x" + SuffixLength.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        /// <summary>The bin that a target path belongs to (TAP 15: the leading bits of SHA-256 of the UTF-8 path).</summary>
        public string RoleForTarget(string targetPath)
        {
            using SHA256 sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(targetPath));
            uint first = ((uint)hash[0] << 24) | ((uint)hash[1] << 16) | ((uint)hash[2] << 8) | hash[3];
            return BinName(first >> (32 - BitLength));
        }

        /// <summary>Every bin name, in bin order.</summary>
        public IEnumerable<string> RoleNames()
        {
            for (long bin = 0; bin < BinCount; bin++)
            {
                yield return BinName(bin);
            }
        }

        /// <summary>Whether <paramref name="name"/> is one of the bins.</summary>
        public bool IsDelegatedRole(string name)
        {
            string prefix = NamePrefix + "-";
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length != prefix.Length + SuffixLength)
            {
                return false;
            }

            string suffix = name.Substring(prefix.Length);
            foreach (char c in suffix)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return long.Parse(suffix, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) < BinCount;
        }

        /// <inheritdoc />
        public override JsonObject ToJson() => base.ToJson()
            .Set("bit_length", new JsonInteger(BitLength))
            .Set("name_prefix", new JsonString(NamePrefix));

        internal static SuccinctRoles ReadSuccinct(FieldReader fields)
        {
            (IReadOnlyList<string> keyIds, int threshold) = ReadCommon(fields);
            long bits = fields.Integer("bit_length");
            if (bits < 1 || bits > 32)
            {
                throw fields.Invalid("bit_length", "must be between 1 and 32, not " + bits);
            }

            return new SuccinctRoles(keyIds, threshold, (int)bits, fields.String("name_prefix"), fields.Unrecognized());
        }
    }
}
