using System;
using System.Collections.Generic;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>snapshot.json (spec §4.5): the version of every targets role's metadata.</summary>
    public sealed class Snapshot : SignedMetadata
    {
        /// <summary>Creates snapshot metadata.</summary>
        public Snapshot(string specVersion, long version, DateTimeOffset expires, IReadOnlyDictionary<string, MetaFile> meta, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : base(specVersion, version, expires, unrecognized)
        {
            Meta = meta;
        }

        /// <inheritdoc />
        public override string Type => "snapshot";

        /// <summary>The listings, keyed by file name: <c>targets.json</c>, <c>ROLE.json</c>.</summary>
        public IReadOnlyDictionary<string, MetaFile> Meta { get; }

        /// <inheritdoc />
        protected override void WriteFields(JsonObject signed) => signed.Set("meta", JsonWriting.Map(Meta, m => m.ToJson()));

        internal static Snapshot Read(FieldReader fields)
        {
            (string spec, long version, DateTimeOffset expires) = ReadCommon(fields, "snapshot");
            FieldReader meta = fields.Child("meta");
            var files = new Dictionary<string, MetaFile>(StringComparer.Ordinal);
            foreach (string name in meta.Object.Members.Keys)
            {
                files.Add(name, MetaFile.Read(meta.Child(name)));
            }

            return new Snapshot(spec, version, expires, files, fields.Unrecognized());
        }
    }
}
