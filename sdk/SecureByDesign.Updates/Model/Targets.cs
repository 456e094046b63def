using System;
using System.Collections.Generic;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>targets.json or a delegated role's metadata (spec §4.5): targets and delegations.</summary>
    public sealed class Targets : SignedMetadata
    {
        /// <summary>Creates targets metadata.</summary>
        public Targets(string specVersion, long version, DateTimeOffset expires, IReadOnlyDictionary<string, TargetFile> files, Delegations? delegations, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : base(specVersion, version, expires, unrecognized)
        {
            Files = files;
            Delegations = delegations;
        }

        /// <inheritdoc />
        public override string Type => "targets";

        /// <summary>The targets listed by this role, by path.</summary>
        public IReadOnlyDictionary<string, TargetFile> Files { get; }

        /// <summary>The role's delegations, when it has any.</summary>
        public Delegations? Delegations { get; }

        /// <inheritdoc />
        protected override void WriteFields(JsonObject signed)
        {
            signed.Set("targets", JsonWriting.Map(Files, t => t.ToJson()));
            if (Delegations is not null)
            {
                signed.Set("delegations", Delegations.ToJson());
            }
        }

        internal static Targets Read(FieldReader fields)
        {
            (string spec, long version, DateTimeOffset expires) = ReadCommon(fields, "targets");
            FieldReader targets = fields.Child("targets");
            var files = new Dictionary<string, TargetFile>(StringComparer.Ordinal);
            foreach (string path in targets.Object.Members.Keys)
            {
                files.Add(path, TargetFile.Read(path, targets.Child(path)));
            }

            Delegations? delegations = fields.OptionalChild("delegations") is FieldReader d ? Delegations.Read(d) : null;
            return new Targets(spec, version, expires, files, delegations, fields.Unrecognized());
        }
    }
}
