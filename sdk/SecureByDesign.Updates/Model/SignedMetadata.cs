using System;
using System.Collections.Generic;
using System.Globalization;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// What every role's <c>signed</c> object has (spec §4.3-4.6): <c>_type</c>, <c>spec_version</c>,
    /// <c>version</c> and <c>expires</c>, and the fields this library does not know.
    /// </summary>
    public abstract class SignedMetadata
    {
        /// <summary>The major version of the TUF specification implemented here.</summary>
        public const string SpecMajorVersion = "1";

        /// <summary>Sets the common fields.</summary>
        protected SignedMetadata(string specVersion, long version, DateTimeOffset expires, IReadOnlyDictionary<string, JsonValue>? unrecognized)
        {
            SpecVersion = specVersion;
            Version = version;
            Expires = expires;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>The role type written in <c>_type</c>: root, timestamp, snapshot or targets.</summary>
        public abstract string Type { get; }

        /// <summary>The TUF specification version the metadata was written for, e.g. <c>1.0.31</c>.</summary>
        public string SpecVersion { get; }

        /// <summary>The metadata version, at least 1.</summary>
        public long Version { get; }

        /// <summary>When the metadata expires (UTC).</summary>
        public DateTimeOffset Expires { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>Whether the metadata has expired at <paramref name="now"/> (expired at its expiry instant).</summary>
        public bool IsExpired(DateTimeOffset now) => now >= Expires;

        /// <summary>The <c>signed</c> object.</summary>
        public JsonObject ToJson()
        {
            JsonObject obj = JsonWriting.WithUnrecognized(Unrecognized)
                .Set("_type", new JsonString(Type))
                .Set("spec_version", new JsonString(SpecVersion))
                .Set("version", new JsonInteger(Version))
                .Set("expires", new JsonString(Expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            WriteFields(obj);
            return obj;
        }

        /// <summary>Writes the role's own fields.</summary>
        protected abstract void WriteFields(JsonObject signed);

        /// <summary>Reads the common fields and checks <c>_type</c> and the spec version.</summary>
        internal static (string SpecVersion, long Version, DateTimeOffset Expires) ReadCommon(FieldReader fields, string expectedType)
        {
            string type = fields.String("_type");
            if (type != expectedType)
            {
                throw fields.Invalid("_type", $"is '{type}', expected '{expectedType}'");
            }

            string specVersion = fields.String("spec_version");
            string[] parts = specVersion.Split('.');
            if (parts.Length < 2 || parts.Length > 3 || Array.Exists(parts, p => p.Length == 0 || !IsDigits(p)))
            {
                throw fields.Invalid("spec_version", $"'{specVersion}' is not MAJOR.MINOR[.PATCH]");
            }

            if (parts[0] != SpecMajorVersion)
            {
                throw new RepositoryException(
                    ProblemCodes.UnsupportedSpecVersion,
                    $"{fields.Source}: {fields.Path}.spec_version '{specVersion}' is not version {SpecMajorVersion} of the TUF specification");
            }

            return (specVersion, fields.PositiveInteger("version"), fields.Expires());
        }

        private static bool IsDigits(string text)
        {
            foreach (char c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
