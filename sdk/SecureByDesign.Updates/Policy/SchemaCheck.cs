using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Policy
{
    /// <summary>
    /// Content and code agree (GATES.md): every verified target that declares a schema some parser reads must
    /// have the field count that parser reads: the 21-fields-against-20 failure, caught when the code is built.
    /// </summary>
    public static class SchemaCheck
    {
        /// <summary>The problems, in target path order.</summary>
        public static IReadOnlyList<Problem> Check(IReadOnlyDictionary<string, TrustedTarget> targets, IEnumerable<ParserSchema> parsers)
        {
            ILookup<string, ParserSchema> bySchema = parsers.ToLookup(p => p.Schema, System.StringComparer.Ordinal);
            var problems = new List<Problem>();
            foreach (KeyValuePair<string, TrustedTarget> target in targets.OrderBy(t => t.Key, System.StringComparer.Ordinal))
            {
                TargetSchema? schema = TargetSchema.Read(target.Value.File, out Problem? invalid);
                if (invalid is not null)
                {
                    problems.Add(invalid);
                }

                if (schema is null)
                {
                    continue;
                }

                string version = schema.Version is null ? string.Empty : " v" + schema.Version;
                foreach (ParserSchema parser in bySchema[schema.Name].Where(p => p.Fields != schema.Fields))
                {
                    problems.Add(new Problem(
                        ProblemCodes.SchemaFieldCountMismatch,
                        $"target '{target.Key}' (schema '{schema.Name}'{version}): {schema.Fields} fields per record, but {parser.Parser} reads {parser.Fields}"));
                }
            }

            return problems;
        }
    }
}
