namespace SecureByDesign.Updates.Model
{
    /// <summary>
    /// Matches a target path against a delegation's path pattern as python-tuf does (spec §4.5,
    /// <c>paths</c>): both are split on <c>/</c>, must have the same number of segments, and each segment
    /// matches like Python's <c>fnmatch</c> (case-sensitive): <c>*</c> any run of characters, <c>?</c> one
    /// character, <c>[seq]</c> and <c>[!seq]</c> one character in or not in the set.
    /// </summary>
    internal static class PathPattern
    {
        public static bool Matches(string pattern, string path)
        {
            string[] patternParts = pattern.Split('/');
            string[] pathParts = path.Split('/');
            if (patternParts.Length != pathParts.Length)
            {
                return false;
            }

            for (int i = 0; i < patternParts.Length; i++)
            {
                if (!SegmentMatches(patternParts[i], 0, pathParts[i], 0))
                {
                    return false;
                }
            }

            return true;
        }

        // Wildcard matching with one backtrack point (the last star): O(pattern * text), no recursion.
        private static bool SegmentMatches(string pattern, int p, string text, int t)
        {
            int starPattern = -1;
            int starText = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && pattern[p] == '*')
                {
                    starPattern = ++p;
                    starText = t;
                    continue;
                }

                if (p < pattern.Length && MatchesOne(pattern, p, text[t], out int next))
                {
                    p = next;
                    t++;
                    continue;
                }

                if (starPattern < 0)
                {
                    return false;
                }

                p = starPattern;
                t = ++starText;
            }

            while (p < pattern.Length && pattern[p] == '*')
            {
                p++;
            }

            return p == pattern.Length;
        }

        private static bool MatchesOne(string pattern, int p, char c, out int next)
        {
            if (pattern[p] == '[' && TryMatchSet(pattern, p, c, out next, out bool inSet))
            {
                return inSet;
            }

            next = p + 1;
            return pattern[p] == '?' || pattern[p] == c;
        }

        // A set without its closing bracket is a literal '[', as in fnmatch.
        private static bool TryMatchSet(string pattern, int open, char c, out int next, out bool inSet)
        {
            int i = open + 1;
            bool negate = i < pattern.Length && pattern[i] == '!';
            if (negate)
            {
                i++;
            }

            int first = i;
            bool found = false;
            while (i < pattern.Length && (pattern[i] != ']' || i == first))
            {
                if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                {
                    found |= c >= pattern[i] && c <= pattern[i + 2];
                    i += 3;
                }
                else
                {
                    found |= c == pattern[i];
                    i++;
                }
            }

            next = i + 1;
            inSet = found != negate;
            return i < pattern.Length;
        }
    }
}
