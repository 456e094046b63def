using System.Collections.Generic;
using SecureByDesign.Updates.Json;

namespace SecureByDesign.Updates.Model
{
    /// <summary>A role's key ids and signature threshold (spec §4.3, <c>roles</c> of root.json).</summary>
    public class Role
    {
        /// <summary>Creates a role.</summary>
        public Role(IReadOnlyList<string> keyIds, int threshold, IReadOnlyDictionary<string, JsonValue>? unrecognized = null)
        {
            KeyIds = keyIds;
            Threshold = threshold;
            Unrecognized = unrecognized ?? new Dictionary<string, JsonValue>();
        }

        /// <summary>The ids of the keys trusted for this role, without duplicates.</summary>
        public IReadOnlyList<string> KeyIds { get; }

        /// <summary>How many distinct trusted keys must sign; at least 1.</summary>
        public int Threshold { get; }

        /// <summary>Fields this library does not know, kept for writing back.</summary>
        public IReadOnlyDictionary<string, JsonValue> Unrecognized { get; }

        /// <summary>The role as metadata lists it.</summary>
        public virtual JsonObject ToJson() => JsonWriting.WithUnrecognized(Unrecognized)
            .Set("keyids", JsonWriting.Strings(KeyIds))
            .Set("threshold", new JsonInteger(Threshold));

        internal static (IReadOnlyList<string> KeyIds, int Threshold) ReadCommon(FieldReader fields)
        {
            IReadOnlyList<string> keyIds = fields.UniqueStrings("keyids", fields.Required("keyids"));
            long threshold = fields.PositiveInteger("threshold");
            if (threshold > int.MaxValue)
            {
                throw fields.Invalid("threshold", "is too large");
            }

            return (keyIds, (int)threshold);
        }

        internal static Role Read(FieldReader fields)
        {
            (IReadOnlyList<string> keyIds, int threshold) = ReadCommon(fields);
            return new Role(keyIds, threshold, fields.Unrecognized());
        }
    }
}
