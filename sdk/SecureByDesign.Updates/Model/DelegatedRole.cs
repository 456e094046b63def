using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// A delegation from a targets role (spec §4.5, DELEGATIONS): a named role, its keys and threshold, the
    /// target paths it is trusted for (<c>paths</c> patterns or <c>path_hash_prefixes</c>), and whether
    /// the search stops at it (<c>terminating</c>).
    /// </summary>
    public sealed class DelegatedRole : Role
    {
        /// <summary>Creates a delegation.</summary>
        public DelegatedRole(
            string name,
            IReadOnlyList<string> keyIds,
            int threshold,
            bool terminating,
            IReadOnlyList<string>? paths,
            IReadOnlyList<string>? pathHashPrefixes,
            IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
            : base(keyIds, threshold, unrecognized)
        {
            Name = name;
            Terminating = terminating;
            Paths = paths;
            PathHashPrefixes = pathHashPrefixes;
        }

        /// <summary>The role's name; its metadata is <c>NAME.json</c>.</summary>
        public string Name { get; }

        /// <summary>Whether a search that reaches this role for a path it is trusted for goes no further.</summary>
        public bool Terminating { get; }

        /// <summary>The path patterns this role is trusted for, when delegated by pattern.</summary>
        public IReadOnlyList<string>? Paths { get; }

        /// <summary>The hex prefixes of SHA-256(path) this role is trusted for, when delegated by hash prefix.</summary>
        public IReadOnlyList<string>? PathHashPrefixes { get; }

        /// <summary>Whether this role is trusted for <paramref name="targetPath"/>.</summary>
        public bool IsDelegatedPath(string targetPath)
        {
            if (Paths is not null)
            {
                return Paths.Any(pattern => PathPattern.Matches(pattern, targetPath));
            }

            if (PathHashPrefixes is not null)
            {
                using SHA256 sha = SHA256.Create();
                string hash = Hex.Encode(sha.ComputeHash(Encoding.UTF8.GetBytes(targetPath)));
                return PathHashPrefixes.Any(prefix => hash.StartsWith(prefix, System.StringComparison.Ordinal));
            }

            return false;
        }

        /// <inheritdoc />
        public override JsonObject ToJson()
        {
            JsonObject obj = base.ToJson()
                .Set("name", new JsonString(Name))
                .Set("terminating", JsonBoolean.Of(Terminating));
            if (Paths is not null)
            {
                obj.Set("paths", JsonWriting.Strings(Paths));
            }

            if (PathHashPrefixes is not null)
            {
                obj.Set("path_hash_prefixes", JsonWriting.Strings(PathHashPrefixes));
            }

            return obj;
        }

        internal static DelegatedRole ReadDelegated(FieldReader fields)
        {
            string name = fields.String("name");
            if (Root.TopLevelRoles.Contains(name))
            {
                throw fields.Invalid("name", $"'{name}' is a top-level role name and cannot be delegated");
            }

            (IReadOnlyList<string> keyIds, int threshold) = ReadCommon(fields);
            bool terminating = fields.Boolean("terminating");
            JsonValue? paths = fields.Optional("paths");
            JsonValue? prefixes = fields.Optional("path_hash_prefixes");
            if (paths is not null && prefixes is not null)
            {
                throw fields.Invalid("paths", "and path_hash_prefixes cannot both be set");
            }

            return new DelegatedRole(
                name,
                keyIds,
                threshold,
                terminating,
                paths is null ? null : fields.UniqueStrings("paths", paths),
                prefixes is null ? null : fields.UniqueStrings("path_hash_prefixes", prefixes),
                fields.Unrecognized());
        }
    }
}
