using System;
using System.Collections.Generic;
using System.Text.Json;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Updates.Json
{
    /// <summary>
    /// Reads untrusted JSON into a <see cref="JsonValue"/>, refusing what canonical JSON cannot hold or what
    /// would let two parsers read the same bytes differently: duplicate keys, numbers with a fraction or an
    /// exponent, integers beyond 64 bits, invalid UTF-8 or lone surrogates, a byte order mark, comments,
    /// trailing commas, nesting deeper than <see cref="MaxDepth"/> and input over the caller's byte limit.
    /// Every refusal is an <see cref="UpdateException"/> with <see cref="ProblemCodes.MalformedJson"/>,
    /// the source name and the JSON path.
    /// </summary>
    public static class StrictJsonReader
    {
        /// <summary>The deepest nesting accepted; TUF metadata needs about 6 levels.</summary>
        public const int MaxDepth = 32;

        /// <summary>Parses <paramref name="utf8"/>; <paramref name="source"/> names it in errors.</summary>
        public static JsonValue Parse(byte[] utf8, string source, long maxBytes)
        {
            if (utf8.LongLength > maxBytes)
            {
                throw new RepositoryException(ProblemCodes.MetadataTooLarge, $"{source}: {utf8.LongLength} bytes, over the limit of {maxBytes}");
            }

            if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
            {
                throw Malformed(source, "$", "starts with a byte order mark");
            }

            var options = new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };
            var reader = new Utf8JsonReader(utf8, options);
            var path = new List<string>();
            try
            {
                if (!reader.Read())
                {
                    throw Malformed(source, "$", "is empty");
                }

                JsonValue value = ReadValue(ref reader, source, path);
                if (reader.Read())
                {
                    throw Malformed(source, "$", "has content after the top-level value");
                }

                return value;
            }
            catch (JsonException e)
            {
                throw Malformed(source, PathOf(path), $"line {e.LineNumber + 1}: {FirstLine(e.Message)}");
            }
            catch (InvalidOperationException e)
            {
                throw Malformed(source, PathOf(path), FirstLine(e.Message));
            }
        }

        private static JsonValue ReadValue(ref Utf8JsonReader reader, string source, List<string> path)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader, source, path);
                case JsonTokenType.StartArray:
                    var items = new List<JsonValue>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        path.Add("[" + items.Count + "]");
                        items.Add(ReadValue(ref reader, source, path));
                        path.RemoveAt(path.Count - 1);
                    }

                    return new JsonArray(items);
                case JsonTokenType.String:
                    return new JsonString(reader.GetString()!);
                case JsonTokenType.Number:
                    return ReadInteger(ref reader, source, path);
                case JsonTokenType.True:
                    return JsonBoolean.True;
                case JsonTokenType.False:
                    return JsonBoolean.False;
                case JsonTokenType.Null:
                    return JsonNull.Instance;
                default:
                    throw Malformed(source, PathOf(path), "unexpected token " + reader.TokenType);
            }
        }

        private static JsonObject ReadObject(ref Utf8JsonReader reader, string source, List<string> path)
        {
            var obj = new JsonObject();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                path.Add("." + name);
                JsonValue value = ReadValue(ref reader, source, path);
                if (!obj.TryAdd(name, value))
                {
                    throw Malformed(source, PathOf(path), "is a duplicate key");
                }

                path.RemoveAt(path.Count - 1);
            }

            return obj;
        }

        private static JsonInteger ReadInteger(ref Utf8JsonReader reader, string source, List<string> path)
        {
            // The reader reads one contiguous array, so a number is never split across segments.
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
            {
                throw Malformed(source, PathOf(path), "is a number with a fraction or exponent; canonical JSON has integers only");
            }

            if (!reader.TryGetInt64(out long value))
            {
                throw Malformed(source, PathOf(path), "is an integer outside the 64-bit range");
            }

            return new JsonInteger(value);
        }

        private static RepositoryException Malformed(string source, string path, string what) =>
            new RepositoryException(ProblemCodes.MalformedJson, $"{source}: {path} {what}");

        private static string PathOf(List<string> path) => "$" + string.Concat(path);

        private static string FirstLine(string message)
        {
            int end = message.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? message : message.Substring(0, end);
        }
    }
}
