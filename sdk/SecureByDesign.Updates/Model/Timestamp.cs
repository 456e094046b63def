using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>timestamp.json (spec §4.6): the current version of snapshot.json.</summary>
    public sealed class Timestamp : SignedMetadata
    {
        /// <summary>Creates timestamp metadata.</summary>
        public Timestamp(string specVersion, long version, DateTimeOffset expires, MetaFile snapshotMeta, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : base(specVersion, version, expires, unrecognized)
        {
            SnapshotMeta = snapshotMeta;
        }

        /// <inheritdoc />
        public override string Type => "timestamp";

        /// <summary>The listing of snapshot.json.</summary>
        public MetaFile SnapshotMeta { get; }

        /// <inheritdoc />
        protected override void WriteFields(JsonObject signed) =>
            signed.Set("meta", new JsonObject().Set("snapshot.json", SnapshotMeta.ToJson()));

        internal static Timestamp Read(FieldReader fields)
        {
            (string spec, long version, DateTimeOffset expires) = ReadCommon(fields, "timestamp");
            FieldReader meta = fields.Child("meta");
            if (meta.Object.Members.Count != 1 || !meta.Object.Members.ContainsKey("snapshot.json"))
            {
                throw fields.Invalid("meta", "must list snapshot.json and nothing else, not " + string.Join(", ", meta.Object.Members.Keys.ToArray()));
            }

            return new Timestamp(spec, version, expires, MetaFile.Read(meta.Child("snapshot.json")), fields.Unrecognized());
        }
    }
}
