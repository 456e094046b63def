using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>root.json (spec §4.3): the keys and thresholds of the four top-level roles.</summary>
    public sealed class Root : SignedMetadata
    {
        /// <summary>The four top-level role names.</summary>
        public static readonly IReadOnlyList<string> TopLevelRoles = new[] { "root", "timestamp", "snapshot", "targets" };

        /// <summary>Creates root metadata.</summary>
        public Root(
            string specVersion,
            long version,
            DateTimeOffset expires,
            bool? consistentSnapshot,
            IReadOnlyDictionary<string, Key> keys,
            IReadOnlyDictionary<string, Role> roles,
            IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : base(specVersion, version, expires, unrecognized)
        {
            ConsistentSnapshotField = consistentSnapshot;
            Keys = keys;
            Roles = roles;
        }

        /// <inheritdoc />
        public override string Type => "root";

        /// <summary>Whether the repository uses the consistent-snapshot layout.</summary>
        public bool ConsistentSnapshot => ConsistentSnapshotField == true;

        /// <summary>The <c>consistent_snapshot</c> field as written (it is optional).</summary>
        public bool? ConsistentSnapshotField { get; }

        /// <summary>Every key any top-level role uses, by id.</summary>
        public IReadOnlyDictionary<string, Key> Keys { get; }

        /// <summary>The four top-level roles, by name.</summary>
        public IReadOnlyDictionary<string, Role> Roles { get; }

        /// <inheritdoc />
        protected override void WriteFields(JsonObject signed)
        {
            if (ConsistentSnapshotField is bool consistent)
            {
                signed.Set("consistent_snapshot", JsonBoolean.Of(consistent));
            }

            signed.Set("keys", JsonWriting.Map(Keys, k => k.ToJson()));
            signed.Set("roles", JsonWriting.Map(Roles, r => r.ToJson()));
        }

        internal static Root Read(FieldReader fields)
        {
            (string spec, long version, DateTimeOffset expires) = ReadCommon(fields, "root");
            bool? consistent = fields.OptionalBoolean("consistent_snapshot");
            IReadOnlyDictionary<string, Key> keys = Key.ReadKeys(fields.Child("keys"));
            FieldReader rolesReader = fields.Child("roles");
            var names = rolesReader.Object.Members.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (!names.SequenceEqual(TopLevelRoles.OrderBy(n => n, StringComparer.Ordinal)))
            {
                throw fields.Invalid("roles", "must name exactly root, timestamp, snapshot and targets, not " + string.Join(", ", names));
            }

            var roles = new Dictionary<string, Role>(StringComparer.Ordinal);
            foreach (string name in TopLevelRoles)
            {
                roles.Add(name, Role.Read(rolesReader.Child(name)));
            }

            return new Root(spec, version, expires, consistent, keys, roles, fields.Unrecognized());
        }
    }
}
