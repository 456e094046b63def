using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>The <c>delegations</c> of a targets role (spec §4.5): the delegated keys and the ordered roles.</summary>
    public sealed class Delegations
    {
        /// <summary>Creates delegations.</summary>
        public Delegations(IReadOnlyDictionary<string, Key> keys, IReadOnlyList<DelegatedRole> roles, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            Keys = keys;
            Roles = roles;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>The keys the delegated roles use, by id.</summary>
        public IReadOnlyDictionary<string, Key> Keys { get; }

        /// <summary>The delegated roles in priority order.</summary>
        public IReadOnlyList<DelegatedRole> Roles { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>The delegations as metadata writes them.</summary>
        public JsonObject ToJson() => JsonWriting.WithUnrecognized(Unrecognized)
            .Set("keys", JsonWriting.Map(Keys, k => k.ToJson()))
            .Set("roles", new JsonArray(Roles.Select(r => (JsonValue)r.ToJson())));

        internal static Delegations Read(FieldReader fields)
        {
            if (fields.Optional("succinct_roles") is not null)
            {
                throw fields.Invalid("succinct_roles", "(TAP 15) is not supported");
            }

            IReadOnlyDictionary<string, Key> keys = Key.ReadKeys(fields.Child("keys"));
            IReadOnlyList<JsonValue> items = fields.Array("roles");
            var roles = new List<DelegatedRole>();
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            for (int i = 0; i < items.Count; i++)
            {
                DelegatedRole role = DelegatedRole.ReadDelegated(FieldReader.Of(items[i], fields.Source, $"{fields.Path}.roles[{i}]"));
                if (!names.Add(role.Name))
                {
                    throw fields.Invalid("roles", $"delegates '{role.Name}' twice");
                }

                roles.Add(role);
            }

            return new Delegations(keys, roles, fields.Unrecognized());
        }
    }
}
