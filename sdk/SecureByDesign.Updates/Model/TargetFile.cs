using System.Collections.Generic;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>A target as targets metadata lists it (spec §4.5, TARGETS): length, hashes and custom data.</summary>
    public sealed class TargetFile
    {
        /// <summary>Creates a listing.</summary>
        public TargetFile(string path, long length, IReadOnlyDictionary<string, string> hashes, JsonValue? custom = null, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            Path = path;
            Length = length;
            Hashes = hashes;
            Custom = custom;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>The target path, relative to the targets folder, with <c>/</c> separators.</summary>
        public string Path { get; }

        /// <summary>The exact length in bytes.</summary>
        public long Length { get; }

        /// <summary>The hashes by algorithm (at least one).</summary>
        public IReadOnlyDictionary<string, string> Hashes { get; }

        /// <summary>The <c>custom</c> value, when present (rollout rings and schema live here).</summary>
        public JsonValue? Custom { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>
        /// True when <paramref name="data"/> is this target: exactly the listed length, and every listed hash matches (a hash
        /// algorithm this library does not support fails). The length is compared first, so data longer than listed is not
        /// hashed. For bytes fetched outside <see cref="Client.Updater"/>, against a listing from verified metadata.
        /// </summary>
        public bool Verify(byte[] data)
        {
            if (data is null || data.LongLength != Length || Hashes.Count == 0)
            {
                return false;
            }

            foreach (KeyValuePair<string, string> hash in Hashes)
            {
                using System.Security.Cryptography.HashAlgorithm? algorithm = Trust.MetaFileCheck.CreateHash(hash.Key);
                if (algorithm is null || !Hex.FixedTimeEquals(Hex.Encode(algorithm.ComputeHash(data)), hash.Value))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The listing as metadata writes it.</summary>
        public JsonObject ToJson()
        {
            JsonObject obj = JsonWriting.WithUnrecognized(Unrecognized)
                .Set("length", new JsonInteger(Length))
                .Set("hashes", JsonWriting.Hashes(Hashes));
            if (Custom is not null)
            {
                obj.Set("custom", Custom);
            }

            return obj;
        }

        internal static TargetFile Read(string path, FieldReader fields)
        {
            long length = MetaFile.NonNegativeLength(fields);
            IReadOnlyDictionary<string, string> hashes = MetaFile.ReadHashes(fields.Child("hashes"));
            return new TargetFile(path, length, hashes, fields.Optional("custom"), fields.Unrecognized());
        }
    }
}
