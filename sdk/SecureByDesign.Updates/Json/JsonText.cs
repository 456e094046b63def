using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecureByDesign.Updates.Json
{
    /// <summary>
    /// Writes a <see cref="JsonValue"/> as ordinary JSON for a file. Canonical JSON is what is signed, but it
    /// writes control characters raw (a PEM key's newlines), which JSON readers reject, so metadata files are
    /// written in this form, with the keys in canonical order so the output is deterministic.
    /// </summary>
    public static class JsonText
    {
        /// <summary>The UTF-8 JSON text of a value; indented with two spaces when asked.</summary>
        public static byte[] Serialize(JsonValue value, bool indented = false)
        {
            using var stream = new MemoryStream();
            var options = new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
            using (var writer = new Utf8JsonWriter(stream, options))
            {
                Write(writer, value);
            }

            return stream.ToArray();
        }

        private static void Write(Utf8JsonWriter writer, JsonValue value)
        {
            switch (value)
            {
                case JsonObject obj:
                    writer.WriteStartObject();
                    foreach (var member in obj.Members.OrderBy(m => m.Key, CodePointComparer.Instance))
                    {
                        writer.WritePropertyName(member.Key);
                        Write(writer, member.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonArray array:
                    writer.WriteStartArray();
                    foreach (JsonValue item in array.Items)
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonString text:
                    writer.WriteStringValue(text.Value);
                    break;
                case JsonInteger integer:
                    writer.WriteNumberValue(integer.Value);
                    break;
                case JsonBoolean boolean:
                    writer.WriteBooleanValue(boolean.Value);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }
    }
}
