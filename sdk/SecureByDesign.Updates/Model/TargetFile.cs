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
