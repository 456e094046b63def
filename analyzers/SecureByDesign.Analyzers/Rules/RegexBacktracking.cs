namespace SecureByDesign.Analyzers;

/// <summary>
/// Whether a .NET regular expression pattern can backtrack badly: not a regex engine, a reading of the pattern's shape.
/// A pattern is risky when a repeated part can split the same run of characters in more than one way:
/// <list type="bullet">
/// <item>a nested quantifier: a repeated group whose body can match a run of one inner quantifier's characters on its
/// own (<c>(a+)+</c>, <c>(\w+\s?)*</c>, <c>(x+x+)+y</c>), while <c>(\d+\.)*</c> is linear, because each pass must end
/// with a dot that <c>\d</c> cannot match;</item>
/// <item>overlapping alternatives under a quantifier: two branches that can start with the same character
/// (<c>(a|aa)*</c>, <c>(\w|\d)+</c>);</item>
/// <item>adjacent unbounded quantifiers over overlapping characters with nothing required between them
/// (<c>\d+\d+</c>, <c>\s*.*\s*$</c>).</item>
/// </list>
/// Characters are compared as sets over ASCII (case-insensitively) plus three slots for the rest (word, space, other), so a comparison
/// errs toward "overlaps". A pattern the reader does not understand (a conditional, whitespace mode, a class
/// subtraction it cannot place) counts as risky.
/// </summary>
internal static class RegexBacktracking
{
    // Slots 0-127 are the ASCII characters; the last three stand for the rest: letters and digits, spaces, and anything else.
    private const int Other = 128;
    private const int OtherWord = 128;
    private const int OtherSpace = 129;
    private const int OtherRest = 130;
    private const int Slots = 131;

    // Longer or deeper patterns are not read: they count as risky (and the reader's recursion stays shallow).
    private const int MaxLength = 4000;
    private const int MaxDepth = 50;

    /// <summary>Why the pattern can backtrack badly, or null when it cannot; in whitespace mode (<c>RegexOptions.IgnorePatternWhitespace</c>) when <paramref name="whitespaceMode"/>.</summary>
    public static string? Risk(string pattern, bool whitespaceMode = false)
    {
        pattern = whitespaceMode ? WithoutPatternWhitespace(pattern) : pattern;
        if (pattern.Length > MaxLength)
        {
            return "a pattern too long to read";
        }

        try
        {
            var parser = new Parser(pattern);
            var tree = parser.Alternatives(topLevel: true);
            return parser.Unreadable ? "a shape the analyzer cannot read" : Risk(tree);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            return "a shape the analyzer cannot read";
        }
    }

    /// <summary>
    /// The pattern as whitespace mode reads it: white space outside a character class, unless escaped, and a <c>#</c> to
    /// the end of its line are not part of it. White space inside a class stays (.NET reads it literally there).
    /// </summary>
    private static string WithoutPatternWhitespace(string pattern)
    {
        var text = new System.Text.StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                text.Append(c).Append(pattern[++i]);
            }
            else if (inClass)
            {
                inClass = c != ']';
                text.Append(c);
            }
            else if (c == '[')
            {
                // [^]a] and []a]: a ] first in the class is one of its characters.
                text.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    text.Append(pattern[++i]);
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    text.Append(pattern[++i]);
                }

                inClass = true;
            }
            else if (c == '#')
            {
                while (i + 1 < pattern.Length && pattern[i + 1] != '\n')
                {
                    i++;
                }
            }
            else if (!char.IsWhiteSpace(c))
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string? Risk(List<List<Node>> alternatives)
    {
        foreach (var sequence in alternatives)
        {
            if (AdjacentOverlap(Flatten(sequence)))
            {
                return "adjacent quantifiers over the same characters";
            }

            foreach (var group in sequence.OfType<Group>())
            {
                if (group.Repeats && !group.Atomic)
                {
                    if (OverlappingBranches(group))
                    {
                        return "alternatives that overlap under a quantifier";
                    }

                    if (group.Alternatives.Any(Nested))
                    {
                        return "nested quantifiers";
                    }
                }

                if (Risk(group.Alternatives) is { } inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    /// <summary>A body that one of its own variable quantifiers could match alone: passes can split a run in many ways.</summary>
    private static bool Nested(List<Node> body) =>
        Loops(body).Any(loop => MatchesWithin(body, SetOf(loop)));

    /// <summary>The quantified parts of a body that can take several characters in one pass, at any depth.</summary>
    private static IEnumerable<Node> Loops(List<Node> body)
    {
        foreach (var node in body)
        {
            if (node.Max is null or > 1 && node.Max != node.Min)
            {
                yield return node;
            }

            if (node is Group { Atomic: false } group)
            {
                foreach (var inner in group.Alternatives.SelectMany(Loops))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every part the body must match can match a character of <paramref name="set"/>.</summary>
    private static bool MatchesWithin(List<Node> body, bool[] set) =>
        body.Where(node => node.Min > 0).All(node => node switch
        {
            Group { Atomic: false } group => group.Alternatives.Any(alternative => MatchesWithin(alternative, set)),
            _ => Overlaps(SetOf(node), set),
        });

    private static bool OverlappingBranches(Group group)
    {
        var firsts = group.Alternatives.Select(First).ToList();
        for (var i = 0; i < firsts.Count; i++)
        {
            for (var j = i + 1; j < firsts.Count; j++)
            {
                if (Overlaps(firsts[i], firsts[j]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Two unbounded quantifiers with overlapping characters and only optional parts between them.</summary>
    private static bool AdjacentOverlap(List<Node> sequence)
    {
        for (var i = 0; i < sequence.Count; i++)
        {
            if (sequence[i].Max is not null)
            {
                continue;
            }

            for (var j = i + 1; j < sequence.Count; j++)
            {
                if (sequence[j].Max is null && Overlaps(SetOf(sequence[i]), SetOf(sequence[j])))
                {
                    return true;
                }

                if (sequence[j].Min > 0 && !CanBeEmpty(sequence[j]))
                {
                    break;
                }
            }
        }

        return false;
    }

    /// <summary>A sequence with its plain groups (once, one branch) opened, so that <c>\s*(.*)</c> reads as <c>\s*.*</c>.</summary>
    private static List<Node> Flatten(List<Node> sequence) =>
        sequence.SelectMany(node => node is Group { Min: 1, Max: 1, Atomic: false, Alternatives.Count: 1 } plain ? Flatten(plain.Alternatives[0]) : new List<Node> { node }).ToList();

    private static bool CanBeEmpty(Node node) =>
        node.Min == 0 || (node is Group group && group.Alternatives.Any(a => a.All(CanBeEmpty)));

    /// <summary>The characters a sequence can start with.</summary>
    private static bool[] First(List<Node> sequence)
    {
        var set = new bool[Slots];
        foreach (var node in sequence)
        {
            Union(set, node is Group group ? group.Alternatives.Select(First).Aggregate(new bool[Slots], Union) : SetOf(node));
            if (!CanBeEmpty(node))
            {
                break;
            }
        }

        return set;
    }

    /// <summary>Every character a part can match.</summary>
    private static bool[] SetOf(Node node) => node switch
    {
        Atom atom => atom.Set,
        Group group => group.Alternatives.SelectMany(a => a).Select(SetOf).Aggregate(new bool[Slots], Union),
        _ => All(),
    };

    private static bool[] Union(bool[] into, bool[] other)
    {
        for (var i = 0; i < Slots; i++)
        {
            into[i] |= other[i];
        }

        return into;
    }

    private static bool Overlaps(bool[] a, bool[] b)
    {
        for (var i = 0; i < Slots; i++)
        {
            if (a[i] && b[i])
            {
                return true;
            }
        }

        return false;
    }

    private static bool[] All()
    {
        var set = new bool[Slots];
        for (var i = 0; i < Slots; i++)
        {
            set[i] = true;
        }

        return set;
    }

    private abstract class Node
    {
        public int Min { get; set; } = 1;

        public int? Max { get; set; } = 1;

        public bool Repeats => Max is null or > 1;
    }

    private sealed class Atom : Node
    {
        public Atom(bool[] set) => Set = set;

        public bool[] Set { get; }
    }

    private sealed class Group : Node
    {
        public Group(List<List<Node>> alternatives, bool atomic)
        {
            Alternatives = alternatives;
            Atomic = atomic;
        }

        public List<List<Node>> Alternatives { get; }

        /// <summary><c>(?&gt;...)</c>: the engine never backtracks into it.</summary>
        public bool Atomic { get; }
    }

    private sealed class Parser
    {
        private readonly string text;
        private int position;
        private int depth;

        public Parser(string text) => this.text = text;

        public bool Unreadable { get; private set; }

        public List<List<Node>> Alternatives(bool topLevel)
        {
            var alternatives = new List<List<Node>> { new() };
            while (position < text.Length)
            {
                var c = text[position];
                if (c == ')')
                {
                    if (topLevel)
                    {
                        throw new FormatException();
                    }

                    return alternatives;
                }

                position++;
                Node? node;
                switch (c)
                {
                    case '|':
                        alternatives.Add(new List<Node>());
                        continue;
                    case '(':
                        node = Group();
                        break;
                    case '[':
                        node = new Atom(Class());
                        break;
                    case '.':
                        var dot = All();
                        dot['\n'] = false;
                        node = new Atom(dot);
                        break;
                    case '^' or '$':
                        continue;
                    case '\\':
                        node = Escape();
                        break;
                    default:
                        node = new Atom(Literal(c));
                        break;
                }

                if (node is not null)
                {
                    Quantifier(node);
                    alternatives[alternatives.Count - 1].Add(node);
                }
            }

            if (!topLevel)
            {
                throw new FormatException();
            }

            return alternatives;
        }

        /// <summary>After '(': a group, or null for what matches no characters (lookarounds, inline options, comments).</summary>
        private Node? Group()
        {
            if (++depth > MaxDepth)
            {
                throw new FormatException();
            }

            var atomic = false;
            var zeroWidth = false;
            if (Next('?'))
            {
                if (Next(':'))
                {
                }
                else if (Next('>'))
                {
                    atomic = true;
                }
                else if (Next('=') || Next('!'))
                {
                    zeroWidth = true;
                }
                else if (Peek("<=") || Peek("<!"))
                {
                    position += 2;
                    zeroWidth = true;
                }
                else if (Next('#'))
                {
                    var end = text.IndexOf(')', position);
                    position = end < 0 ? throw new FormatException() : end + 1;
                    depth--;
                    return null;
                }
                else if (Next('<') || Next('\''))
                {
                    var close = text[position - 1] == '<' ? '>' : '\'';
                    var end = text.IndexOf(close, position);
                    position = end < 0 ? throw new FormatException() : end + 1;
                }
                else if (Next('('))
                {
                    Unreadable = true; // a conditional
                    position--;
                }
                else
                {
                    // Inline options: (?i) alone, or (?i:...) around a group.
                    var start = position;
                    while (position < text.Length && (char.IsLetter(text[position]) || text[position] == '-'))
                    {
                        position++;
                    }

                    if (text.Substring(start, position - start).IndexOf('x') >= 0)
                    {
                        Unreadable = true;
                    }

                    if (Next(')'))
                    {
                        depth--;
                        return null;
                    }

                    if (!Next(':'))
                    {
                        throw new FormatException();
                    }
                }
            }

            var alternatives = Alternatives(topLevel: false);
            position++; // ')'
            depth--;
            if (zeroWidth)
            {
                // What a lookaround holds is checked like any group, but it matches no characters of its own.
                return new Group(alternatives, atomic: true) { Min = 0, Max = 0 };
            }

            return new Group(alternatives, atomic);
        }

        private void Quantifier(Node node)
        {
            if (position >= text.Length)
            {
                return;
            }

            switch (text[position])
            {
                case '*':
                    (node.Min, node.Max) = (0, null);
                    position++;
                    break;
                case '+':
                    (node.Min, node.Max) = (node.Min, null);
                    position++;
                    break;
                case '?':
                    node.Min = 0;
                    position++;
                    break;
                case '{' when Counted() is var (min, max):
                    (node.Min, node.Max) = (node.Min * min, max is { } m ? node.Max * m : null);
                    break;
                default:
                    return;
            }

            Next('?'); // lazy: the same worst case
        }

        /// <summary>{n}, {n,} or {n,m} at the position; null (and nothing read) when the brace is a literal.</summary>
        private (int Min, int? Max)? Counted()
        {
            var end = text.IndexOf('}', position);
            if (end < 0)
            {
                return null;
            }

            var parts = text.Substring(position + 1, end - position - 1).Split(',');
            if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out var min))
            {
                return null;
            }

            int? max = min;
            if (parts.Length == 2)
            {
                if (parts[1].Length == 0)
                {
                    max = null;
                }
                else if (int.TryParse(parts[1], out var upper))
                {
                    max = upper;
                }
                else
                {
                    return null;
                }
            }

            position = end + 1;
            return (min, max);
        }

        /// <summary>After '\': a class, a literal, a backreference; null for an anchor.</summary>
        private Node? Escape()
        {
            if (position >= text.Length)
            {
                throw new FormatException();
            }

            var c = text[position++];
            switch (c)
            {
                case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                    return null;
                case 'k':
                    var end = text.IndexOfAny(new[] { '>', '\'' }, position + 1);
                    position = end < 0 ? throw new FormatException() : end + 1;
                    return new Atom(All());
                case >= '1' and <= '9':
                    while (position < text.Length && char.IsDigit(text[position]))
                    {
                        position++;
                    }

                    return new Atom(All());
                default:
                    return new Atom(EscapedSet(c));
            }
        }

        /// <summary>The set of an escape after its letter (in or out of a class): \d, \w, \s and negations, \p{..}, \x41, \n.</summary>
        private bool[] EscapedSet(char c)
        {
            switch (c)
            {
                case 'd': return Category(char.IsDigit, negate: false);
                case 'D': return Category(char.IsDigit, negate: true);
                case 'w': return Category(IsWord, negate: false);
                case 'W': return Category(IsWord, negate: true);
                case 's': return Category(char.IsWhiteSpace, negate: false);
                case 'S': return Category(char.IsWhiteSpace, negate: true);
                case 'p' or 'P':
                    var end = text.IndexOf('}', position);
                    position = end < 0 ? throw new FormatException() : end + 1;
                    return All();
                case 'x':
                    return Literal(Hex(2));
                case 'u':
                    return Literal(Hex(4));
                case 'c':
                    position++;
                    return All();
                case 'n': return Literal('\n');
                case 'r': return Literal('\r');
                case 't': return Literal('\t');
                case 'f': return Literal('\f');
                case 'v': return Literal('\v');
                case 'e': return Literal('\u001b');
                case 'a': return Literal('\a');
                case '0': return Literal('\0');
                default: return Literal(c);
            }
        }

        private char Hex(int digits)
        {
            if (position + digits > text.Length)
            {
                throw new FormatException();
            }

            var value = Convert.ToInt32(text.Substring(position, digits), 16);
            position += digits;
            return (char)value;
        }

        /// <summary>After '[': the class up to its ']'.</summary>
        private bool[] Class()
        {
            var set = new bool[Slots];
            var whole = new bool[Slots]; // the slots beyond ASCII that a category (\w, \s, \W, \S) fills entirely
            var negated = Next('^');
            var first = true;
            while (true)
            {
                if (position >= text.Length)
                {
                    throw new FormatException();
                }

                var c = text[position++];
                if (c == ']' && !first)
                {
                    break;
                }

                first = false;
                if (c == '-' && position < text.Length && text[position] == '[')
                {
                    // Subtraction, [a-z-[aeiou]]: the result is some part of the class; count the class whole.
                    Class();
                    continue;
                }

                bool[] item;
                char? single = null;
                if (c == '\\')
                {
                    var escaped = text[position++];
                    item = EscapedSet(escaped);
                    if (escaped is 'w' or 'W' or 's' or 'S')
                    {
                        for (var i = Other; i < Slots; i++)
                        {
                            whole[i] |= item[i];
                        }
                    }

                    single = escaped switch
                    {
                        'n' => '\n', 'r' => '\r', 't' => '\t', 'f' => '\f', 'v' => '\v', 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'p' or 'P' or 'x' or 'u' or 'c' => null,
                        _ => escaped,
                    };
                }
                else
                {
                    item = Literal(c);
                    single = c;
                }

                if (single is { } low && position + 1 < text.Length && text[position] == '-' && text[position + 1] != ']')
                {
                    position++;
                    var high = text[position++];
                    if (high == '\\')
                    {
                        var escaped = text[position++];
                        high = escaped switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'x' => Hex(2), 'u' => Hex(4), _ => escaped };
                    }

                    item = Range(low, high);
                }

                Union(set, item);
            }

            if (negated)
            {
                for (var i = 0; i < Other; i++)
                {
                    set[i] = !set[i];
                }

                // [^\s] leaves out every space; [^é] leaves out one letter, not the others of its slot.
                for (var i = Other; i < Slots; i++)
                {
                    set[i] = !whole[i];
                }
            }

            return set;
        }

        private bool Next(char c)
        {
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        private bool Peek(string s) => string.CompareOrdinal(text, position, s, 0, s.Length) == 0;

        private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';

        private static bool[] Category(Func<char, bool> member, bool negate)
        {
            var set = new bool[Slots];
            for (var i = 0; i < Other; i++)
            {
                set[i] = member((char)i) != negate;
            }

            // A slot is in the set when one of its samples is (a letter and a digit for the word slot).
            set[OtherWord] = (member('\u00e9') != negate) || (member('\u0661') != negate);
            set[OtherSpace] = member('\u00a0') != negate;
            set[OtherRest] = member('\u20ac') != negate;
            return set;
        }

        private static bool[] Literal(char c)
        {
            var set = new bool[Slots];
            if (c >= Other)
            {
                set[char.IsLetterOrDigit(c) ? OtherWord : char.IsWhiteSpace(c) ? OtherSpace : OtherRest] = true;
            }
            else
            {
                set[char.ToLowerInvariant(c)] = true;
                set[char.ToUpperInvariant(c)] = true;
            }

            return set;
        }

        private static bool[] Range(char low, char high)
        {
            var set = new bool[Slots];
            for (int c = low; c <= high; c++)
            {
                if (c >= Other)
                {
                    set[OtherWord] = set[OtherSpace] = set[OtherRest] = true;
                    break;
                }

                Union(set, Literal((char)c));
            }

            return set;
        }
    }
}
