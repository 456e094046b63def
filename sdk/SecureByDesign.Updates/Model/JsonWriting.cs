using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>Small helpers that write the model back to JSON.</summary>
    internal static class JsonWriting
    {
        public static JsonObject WithUnrecognized(IReadOnlyDictionary<string, JsonValue> unrecognized)
        {
            var obj = new JsonObject();
            foreach (KeyValuePair<string, JsonValue> member in unrecognized)
            {
                obj.Set(member.Key, member.Value);
            }

            return obj;
        }

        public static JsonArray Strings(IEnumerable<string> values) => new JsonArray(values.Select(v => (JsonValue)new JsonString(v)));

        public static JsonObject Map<T>(IEnumerable<KeyValuePair<string, T>> entries, System.Func<T, JsonValue> write)
        {
            var obj = new JsonObject();
            foreach (KeyValuePair<string, T> entry in entries)
            {
                obj.Set(entry.Key, write(entry.Value));
            }

            return obj;
        }

        public static JsonObject Hashes(IReadOnlyDictionary<string, string> hashes) => Map(hashes, h => new JsonString(h));
    }
}
