using System;
using System.Globalization;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Policy
{
    /// <summary>
    /// A target's <c>custom.rollout</c>: <c>{"ring": "early", "since": "2026-05-30T09:00:00Z"}</c>, the ring the
    /// content is in and since when (<c>since</c> is what the next release measures the soak time from).
    /// </summary>
    public sealed class TargetRollout
    {
        private TargetRollout(string ring, DateTimeOffset? since)
        {
            Ring = ring;
            Since = since;
        }

        /// <summary>The ring name.</summary>
        public string Ring { get; }

        /// <summary>When the content entered the ring, when declared.</summary>
        public DateTimeOffset? Since { get; }

        /// <summary>The declaration; null with no problem when absent, null with a problem when malformed.</summary>
        public static TargetRollout? Read(TargetFile target, out Problem? problem)
        {
            problem = null;
            if (target.Custom is not JsonObject custom || !custom.TryGet("rollout", out JsonValue value))
            {
                return null;
            }

            string where = $"target '{target.Path}': custom.rollout";
            if (value is not JsonObject rollout || !rollout.TryGet("ring", out JsonValue ring) || ring is not JsonString ringName || ringName.Value.Length == 0)
            {
                problem = new Problem(ProblemCodes.InvalidRolloutDeclaration, $"{where}.ring must be a non-empty string");
                return null;
            }

            DateTimeOffset? since = null;
            if (rollout.TryGet("since", out JsonValue sinceValue))
            {
                const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
                if (sinceValue is not JsonString text
                    || !DateTimeOffset.TryParseExact(text.Value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, Utc, out DateTimeOffset parsed))
                {
                    problem = new Problem(ProblemCodes.InvalidRolloutDeclaration, $"{where}.since must be YYYY-MM-DDTHH:MM:SSZ");
                    return null;
                }

                since = parsed;
            }

            return new TargetRollout(ringName.Value, since);
        }
    }
}
