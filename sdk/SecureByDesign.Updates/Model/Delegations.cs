using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// The <c>delegations</c> of a targets role (spec §4.5): the delegated keys and either the ordered
    /// <c>roles</c> or hash bins described by <c>succinct_roles</c> (TAP 15), never both.
    /// </summary>
    public sealed class Delegations
    {
        /// <summary>Creates delegations to named roles.</summary>
        public Delegations(IReadOnlyDictionary<string, Key> keys, IReadOnlyList<DelegatedRole> roles, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            Keys = keys;
            Roles = roles;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>Creates hash-bin delegations (TAP 15).</summary>
        public Delegations(IReadOnlyDictionary<string, Key> keys, SuccinctRoles succinctRoles, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : this(keys, System.Array.Empty<DelegatedRole>(), unrecognized)
        {
            SuccinctRoles = succinctRoles;
        }

        /// <summary>The keys the delegated roles use, by id.</summary>
        public IReadOnlyDictionary<string, Key> Keys { get; }

        /// <summary>The delegated roles in priority order (empty with <see cref="SuccinctRoles"/>).</summary>
        public IReadOnlyList<DelegatedRole> Roles { get; }

        /// <summary>The hash bins, when the delegations are succinct.</summary>
        public SuccinctRoles? SuccinctRoles { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>
        /// The roles trusted for <paramref name="targetPath"/>, in search order, each with whether the search
        /// stops at it (python-tuf's get_roles_for_target): the one bin of succinct delegations, which terminates.
        /// </summary>
        public IEnumerable<(string Name, bool Terminating)> RolesForTarget(string targetPath)
        {
            if (SuccinctRoles is not null)
            {
                return new[] { (SuccinctRoles.RoleForTarget(targetPath), true) };
            }

            return Roles.Where(r => r.IsDelegatedPath(targetPath)).Select(r => (r.Name, r.Terminating));
        }

        /// <summary>Every delegated role name, in listed (or bin) order.</summary>
        public IEnumerable<string> RoleNames() => SuccinctRoles?.RoleNames() ?? Roles.Select(r => r.Name);

        /// <summary>The keys and threshold of the delegated role <paramref name="name"/>; null when it is not delegated here.</summary>
        public Role? RoleNamed(string name)
        {
            if (SuccinctRoles is not null)
            {
                return SuccinctRoles.IsDelegatedRole(name) ? SuccinctRoles : null;
            }

            return Roles.FirstOrDefault(r => r.Name == name);
        }

        /// <summary>The delegations as metadata writes them.</summary>
        public JsonObject ToJson()
        {
            JsonObject obj = JsonWriting.WithUnrecognized(Unrecognized).Set("keys", JsonWriting.Map(Keys, k => k.ToJson()));
            return SuccinctRoles is not null
                ? obj.Set("succinct_roles", SuccinctRoles.ToJson())
                : obj.Set("roles", new JsonArray(Roles.Select(r => (JsonValue)r.ToJson())));
        }

        internal static Delegations Read(FieldReader fields)
        {
            IReadOnlyDictionary<string, Key> keys = Key.ReadKeys(fields.Child("keys"));
            JsonValue? succinct = fields.Optional("succinct_roles");
            JsonValue? listed = fields.Optional("roles");
            if ((succinct is null) == (listed is null))
            {
                throw fields.Invalid("roles", "or succinct_roles: exactly one must be set");
            }

            if (succinct is not null)
            {
                var bins = SuccinctRoles.ReadSuccinct(FieldReader.Of(succinct, fields.Source, fields.Path + ".succinct_roles"));
                return new Delegations(keys, bins, fields.Unrecognized());
            }

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
