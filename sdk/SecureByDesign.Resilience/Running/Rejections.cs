using System;
using System.Collections.Generic;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>The exception types that mean "the parser rejected bad content", matched by full or simple name.</summary>
    public sealed class Rejections
    {
        /// <summary>GATES.md's defaults, when a parser declares none.</summary>
        public static readonly IReadOnlyList<string> Defaults = new[]
        {
            "System.IO.InvalidDataException",
            "System.FormatException",
            "System.Text.Json.JsonException",
            "System.Xml.XmlException",
            "System.Text.DecoderFallbackException",
            "System.IO.EndOfStreamException",
        };

        private readonly HashSet<string> names;

        /// <summary>Creates the set; an empty list means <see cref="Defaults"/>.</summary>
        public Rejections(IReadOnlyCollection<string> declared)
        {
            names = new HashSet<string>(declared.Count == 0 ? Defaults : declared, StringComparer.Ordinal);
        }

        /// <summary>The declared names, for the runner's command line.</summary>
        public IReadOnlyCollection<string> Names => names;

        /// <summary>Whether the exception is of a declared type or derives from one.</summary>
        public bool Covers(Exception exception)
        {
            for (Type? type = exception.GetType(); type is not null; type = type.BaseType)
            {
                if (names.Contains(type.FullName ?? type.Name) || names.Contains(type.Name))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
