using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SecureByDesign.Updates.Json
{
    /// <summary>
    /// Canonical JSON as TUF signs it (the OLPC dialect as python-securesystemslib's
    /// <c>encode_canonical</c> writes it): no whitespace, object keys sorted by code point, integers in
    /// decimal, strings in UTF-8 with only <c>\</c> and <c>"</c> escaped (every other character, control
    /// characters included, written as is).
    /// </summary>
    public static class CanonicalJson
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>The canonical bytes of a value.</summary>
        /// <exception cref="ArgumentException">A string holds a lone surrogate, which has no UTF-8 form.</exception>
        public static byte[] Encode(JsonValue value)
        {
            using var stream = new MemoryStream();
            Write(stream, value);
            return stream.ToArray();
        }

        /// <summary>The canonical form of a value, as a string.</summary>
        public static string EncodeToString(JsonValue value) => StrictUtf8.GetString(Encode(value));

        private static void Write(Stream output, JsonValue value)
        {
            switch (value)
            {
                case JsonObject obj:
                    output.WriteByte((byte)'{');
                    bool first = true;
                    foreach (KeyValuePair<string, JsonValue> member in obj.Members.OrderBy(m => m.Key, CodePointComparer.Instance))
                    {
                        if (!first)
                        {
                            output.WriteByte((byte)',');
                        }

                        first = false;
                        WriteString(output, member.Key);
                        output.WriteByte((byte)':');
                        Write(output, member.Value);
                    }

                    output.WriteByte((byte)'}');
                    break;
                case JsonArray array:
                    output.WriteByte((byte)'[');
                    for (int i = 0; i < array.Items.Count; i++)
                    {
                        if (i > 0)
                        {
                            output.WriteByte((byte)',');
                        }

                        Write(output, array.Items[i]);
                    }

                    output.WriteByte((byte)']');
                    break;
                case JsonString text:
                    WriteString(output, text.Value);
                    break;
                case JsonInteger integer:
                    WriteAscii(output, integer.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case JsonBoolean boolean:
                    WriteAscii(output, boolean.Value ? "true" : "false");
                    break;
                case JsonNull:
                    WriteAscii(output, "null");
                    break;
                default:
                    throw new ArgumentException("Unknown JSON value type " + value.GetType().Name, nameof(value));
            }
        }

        private static void WriteString(Stream output, string text)
        {
            var builder = new StringBuilder(text.Length + 2);
            builder.Append('"');
            foreach (char c in text)
            {
                if (c == '"' || c == '\\')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }

            builder.Append('"');
            byte[] bytes;
            try
            {
                bytes = StrictUtf8.GetBytes(builder.ToString());
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("A string holds a lone surrogate and has no canonical UTF-8 form.", nameof(text), e);
            }

            output.Write(bytes, 0, bytes.Length);
        }

        private static void WriteAscii(Stream output, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            output.Write(bytes, 0, bytes.Length);
        }
    }
}
