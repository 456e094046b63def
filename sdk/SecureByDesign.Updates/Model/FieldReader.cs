using System;
using System.Collections.Generic;
using System.Globalization;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// Reads the fields of one JSON object of metadata, turning every missing or mistyped field into an
    /// <see cref="UpdateException"/> (<see cref="ProblemCodes.InvalidMetadata"/>) that names the file and
    /// the JSON path, and remembering which fields it read so the rest can be kept as unrecognized.
    /// </summary>
    internal sealed class FieldReader
    {
        private readonly HashSet<string> _known = new HashSet<string>(StringComparer.Ordinal);

        public FieldReader(JsonObject obj, string source, string path)
        {
            Object = obj;
            Source = source;
            Path = path;
        }

        public JsonObject Object { get; }

        public string Source { get; }

        public string Path { get; }

        public static FieldReader Of(JsonValue value, string source, string path)
        {
            if (value is JsonObject obj)
            {
                return new FieldReader(obj, source, path);
            }

            throw new RepositoryException(ProblemCodes.InvalidMetadata, $"{source}: {path} must be an object, not {value.KindName}");
        }

        public RepositoryException Invalid(string name, string what) =>
            new RepositoryException(ProblemCodes.InvalidMetadata, $"{Source}: {Path}.{name} {what}");

        public JsonValue? Optional(string name)
        {
            _known.Add(name);
            return Object.TryGet(name, out JsonValue value) ? value : null;
        }

        public JsonValue Required(string name) => Optional(name) ?? throw Invalid(name, "is missing");

        public string String(string name) => AsString(name, Required(name));

        public long Integer(string name) =>
            Required(name) is JsonInteger i ? i.Value : throw Invalid(name, "must be an integer");

        public long PositiveInteger(string name)
        {
            long value = Integer(name);
            return value >= 1 ? value : throw Invalid(name, "must be at least 1, not " + value);
        }

        public bool Boolean(string name) =>
            Required(name) is JsonBoolean b ? b.Value : throw Invalid(name, "must be true or false");

        public bool? OptionalBoolean(string name) => Optional(name) switch
        {
            null => null,
            JsonBoolean b => b.Value,
            _ => throw Invalid(name, "must be true or false"),
        };

        public FieldReader Child(string name) => Of(Required(name), Source, Path + "." + name);

        public FieldReader? OptionalChild(string name) => Optional(name) is JsonValue v ? Of(v, Source, Path + "." + name) : null;

        public IReadOnlyList<JsonValue> Array(string name) =>
            Required(name) is JsonArray a ? a.Items : throw Invalid(name, "must be an array");

        public IReadOnlyList<string> UniqueStrings(string name, JsonValue value)
        {
            if (value is not JsonArray array)
            {
                throw Invalid(name, "must be an array of strings");
            }

            var result = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonValue item in array.Items)
            {
                string text = AsString(name, item);
                if (!seen.Add(text))
                {
                    throw Invalid(name, $"lists '{text}' twice");
                }

                result.Add(text);
            }

            return result;
        }

        public DateTimeOffset Expires()
        {
            string text = String("expires");
            const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
            if (!DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, Utc, out DateTimeOffset expires))
            {
                throw Invalid("expires", $"'{text}' is not YYYY-MM-DDTHH:MM:SSZ");
            }

            return expires;
        }

        /// <summary>The fields not read, kept so that writing the model back loses nothing.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized()
        {
            var rest = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonValue> member in Object.Members)
            {
                if (!_known.Contains(member.Key))
                {
                    rest.Add(member.Key, member.Value);
                }
            }

            return rest;
        }

        private string AsString(string name, JsonValue value) =>
            value is JsonString s ? s.Value : throw Invalid(name, "must be a string, not " + value.KindName);
    }
}
