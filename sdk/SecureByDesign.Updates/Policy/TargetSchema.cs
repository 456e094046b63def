using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Policy
{
    /// <summary>
    /// A target's <c>custom.schema</c>: <c>{"name": "channel", "version": "3", "fields": 21}</c>, the shape of
    /// its records. <c>version</c> may be a string or an integer; <c>name</c> and <c>fields</c> are required.
    /// </summary>
    public sealed class TargetSchema
    {
        private TargetSchema(string name, string? version, long fields)
        {
            Name = name;
            Version = version;
            Fields = fields;
        }

        /// <summary>The schema name.</summary>
        public string Name { get; }

        /// <summary>The schema version, when declared.</summary>
        public string? Version { get; }

        /// <summary>Fields per record.</summary>
        public long Fields { get; }

        /// <summary>The declaration, null when the target declares none; a problem when it is malformed.</summary>
        public static TargetSchema? Read(TargetFile target, out Problem? problem)
        {
            problem = null;
            if (target.Custom is not JsonObject custom || !custom.TryGet("schema", out JsonValue value))
            {
                return null;
            }

            string where = $"target '{target.Path}': custom.schema";
            if (value is not JsonObject schema)
            {
                problem = new Problem(ProblemCodes.InvalidSchemaDeclaration, $"{where} must be an object");
                return null;
            }

            if (!schema.TryGet("name", out JsonValue name) || name is not JsonString nameText || nameText.Value.Length == 0)
            {
                problem = new Problem(ProblemCodes.InvalidSchemaDeclaration, $"{where}.name must be a non-empty string");
                return null;
            }

            if (!schema.TryGet("fields", out JsonValue fields) || fields is not JsonInteger count || count.Value < 1)
            {
                problem = new Problem(ProblemCodes.InvalidSchemaDeclaration, $"{where}.fields must be a positive integer");
                return null;
            }

            string? version = null;
            if (schema.TryGet("version", out JsonValue versionValue))
            {
                version = versionValue switch
                {
                    JsonString s => s.Value,
                    JsonInteger i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => null,
                };
                if (version is null)
                {
                    problem = new Problem(ProblemCodes.InvalidSchemaDeclaration, $"{where}.version must be a string or an integer");
                    return null;
                }
            }

            return new TargetSchema(nameText.Value, version, count.Value);
        }
    }
}
