using System.Collections.Generic;

namespace SecureByDesign.Updates.Json
{
    /// <summary>
    /// Orders strings by Unicode code point, as Python's <c>sorted()</c> does for the keys that
    /// python-securesystemslib's <c>encode_canonical</c> writes. Ordinal UTF-16 order differs from it only
    /// when a surrogate pair (a code point above U+FFFF) meets a code unit in U+E000..U+FFFF.
    /// </summary>
    /// <remarks>
    /// JavaScript's default sort (tuf-js) uses UTF-16 order, so the two reference implementations disagree
    /// for such keys; the TUF reference (securesystemslib) is followed here.
    /// </remarks>
    public sealed class CodePointComparer : IComparer<string>
    {
        /// <summary>The shared instance.</summary>
        public static readonly CodePointComparer Instance = new CodePointComparer();

        /// <inheritdoc />
        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null)
            {
                return -1;
            }

            if (y is null)
            {
                return 1;
            }

            int length = x.Length < y.Length ? x.Length : y.Length;
            for (int i = 0; i < length; i++)
            {
                char a = x[i];
                char b = y[i];
                if (a != b)
                {
                    return Fix(a).CompareTo(Fix(b));
                }
            }

            return x.Length.CompareTo(y.Length);
        }

        // Moves surrogates above the rest of the BMP so UTF-16 code units compare in code point order.
        private static int Fix(char c)
        {
            if (c >= 0xE000)
            {
                return c - 0x800;
            }

            if (c >= 0xD800)
            {
                return c + 0x2000;
            }

            return c;
        }
    }
}
