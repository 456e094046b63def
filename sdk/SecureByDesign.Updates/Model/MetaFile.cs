using System.Collections.Generic;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// A metadata file as timestamp.json and snapshot.json list it (spec §4.4-4.5, METAFILES): its version,
    /// and optionally its length and hashes.
    /// </summary>
    public sealed class MetaFile
    {
        /// <summary>Creates a listing.</summary>
        public MetaFile(long version, long? length = null, IReadOnlyDictionary<string, string>? hashes = null, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            Version = version;
            Length = length;
            Hashes = hashes;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>The listed version.</summary>
        public long Version { get; }

        /// <summary>The listed length in bytes, when listed.</summary>
        public long? Length { get; }

        /// <summary>The listed hashes by algorithm, when listed.</summary>
        public IReadOnlyDictionary<string, string>? Hashes { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>The listing as metadata writes it.</summary>
        public JsonObject ToJson()
        {
            JsonObject obj = JsonWriting.WithUnrecognized(Unrecognized).Set("version", new JsonInteger(Version));
            if (Length is long length)
            {
                obj.Set("length", new JsonInteger(length));
            }

            if (Hashes is not null)
            {
                obj.Set("hashes", JsonWriting.Hashes(Hashes));
            }

            return obj;
        }

        internal static MetaFile Read(FieldReader fields)
        {
            long version = fields.PositiveInteger("version");
            long? length = fields.Optional("length") is null ? null : NonNegativeLength(fields);
            IReadOnlyDictionary<string, string>? hashes = fields.OptionalChild("hashes") is FieldReader h ? ReadHashes(h) : null;
            return new MetaFile(version, length, hashes, fields.Unrecognized());
        }

        internal static long NonNegativeLength(FieldReader fields)
        {
            long length = fields.Integer("length");
            return length >= 0 ? length : throw fields.Invalid("length", "must not be negative");
        }

        internal static IReadOnlyDictionary<string, string> ReadHashes(FieldReader hashes)
        {
            if (hashes.Object.Members.Count == 0)
            {
                throw new Errors.RepositoryException(Errors.ProblemCodes.InvalidMetadata, $"{hashes.Source}: {hashes.Path} must list at least one hash");
            }

            var result = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (string algorithm in hashes.Object.Members.Keys)
            {
                string value = hashes.String(algorithm);
                int expected = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
                if (!IsLowercaseHex(value) || (expected > 0 && value.Length != expected))
                {
                    // Under consistent snapshots a hash names a file and a URL path: only plain digests may get there.
                    throw hashes.Invalid(algorithm, expected > 0 ? $"must be {expected} lowercase hex digits" : "must be lowercase hex digits");
                }

                result.Add(algorithm, value);
            }

            return result;
        }

        private static bool IsLowercaseHex(string value)
        {
            if (value.Length == 0 || value.Length % 2 != 0)
            {
                return false;
            }

            foreach (char c in value)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
