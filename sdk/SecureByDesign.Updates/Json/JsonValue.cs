using System.Collections.Generic;

namespace SecureByDesign.Updates.Json
{
    /// <summary>
    /// A JSON value restricted to what canonical JSON (OLPC, as python-securesystemslib encodes it) can
    /// represent: objects, arrays, strings, integers, booleans and null. No floats exist in this model,
    /// so anything read into it can be re-encoded to the exact bytes that were signed.
    /// </summary>
    public abstract class JsonValue
    {
        internal JsonValue()
        {
        }

        /// <summary>A short name of the value's kind, for error messages.</summary>
        public abstract string KindName { get; }
    }

    /// <summary>A JSON object. Member order is not significant: canonical encoding sorts the keys.</summary>
    public sealed class JsonObject : JsonValue
    {
        private readonly Dictionary<string, JsonValue> _members = new Dictionary<string, JsonValue>(System.StringComparer.Ordinal);

        /// <inheritdoc />
        public override string KindName => "object";

        /// <summary>The members, keyed by name.</summary>
        public IReadOnlyDictionary<string, JsonValue> Members => _members;

        /// <summary>Sets (adds or replaces) a member and returns this object, for building.</summary>
        public JsonObject Set(string name, JsonValue value)
        {
            _members[name] = value;
            return this;
        }

        /// <summary>Adds a member; false when the name is already present (a duplicate key).</summary>
        public bool TryAdd(string name, JsonValue value)
        {
            if (_members.ContainsKey(name))
            {
                return false;
            }

            _members.Add(name, value);
            return true;
        }

        /// <summary>Removes a member when present.</summary>
        public bool Remove(string name) => _members.Remove(name);

        /// <summary>Gets a member by name.</summary>
        public bool TryGet(string name, out JsonValue value) => _members.TryGetValue(name, out value!);
    }

    /// <summary>A JSON array.</summary>
    public sealed class JsonArray : JsonValue
    {
        /// <summary>Creates an array of the given items.</summary>
        public JsonArray(IEnumerable<JsonValue> items) => Items = new List<JsonValue>(items);

        /// <inheritdoc />
        public override string KindName => "array";

        /// <summary>The items, in order.</summary>
        public IReadOnlyList<JsonValue> Items { get; }
    }

    /// <summary>A JSON string.</summary>
    public sealed class JsonString : JsonValue
    {
        /// <summary>Creates a string value.</summary>
        public JsonString(string value) => Value = value;

        /// <inheritdoc />
        public override string KindName => "string";

        /// <summary>The string.</summary>
        public string Value { get; }
    }

    /// <summary>A JSON integer (64-bit signed); canonical JSON has no other numbers.</summary>
    public sealed class JsonInteger : JsonValue
    {
        /// <summary>Creates an integer value.</summary>
        public JsonInteger(long value) => Value = value;

        /// <inheritdoc />
        public override string KindName => "integer";

        /// <summary>The integer.</summary>
        public long Value { get; }
    }

    /// <summary>A JSON boolean.</summary>
    public sealed class JsonBoolean : JsonValue
    {
        /// <summary>The value true.</summary>
        public static readonly JsonBoolean True = new JsonBoolean(true);

        /// <summary>The value false.</summary>
        public static readonly JsonBoolean False = new JsonBoolean(false);

        private JsonBoolean(bool value) => Value = value;

        /// <inheritdoc />
        public override string KindName => "boolean";

        /// <summary>The boolean.</summary>
        public bool Value { get; }

        /// <summary>The shared instance for a value.</summary>
        public static JsonBoolean Of(bool value) => value ? True : False;
    }

    /// <summary>The JSON null.</summary>
    public sealed class JsonNull : JsonValue
    {
        /// <summary>The only instance.</summary>
        public static readonly JsonNull Instance = new JsonNull();

        private JsonNull()
        {
        }

        /// <inheritdoc />
        public override string KindName => "null";
    }
}
