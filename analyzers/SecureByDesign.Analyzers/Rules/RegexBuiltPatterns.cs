using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// A pattern built at run time whose run-time parts cannot change its shape much: constant text joined with single
/// characters (<c>$"{quote}.*?{quote}"</c>) and escaped text (<c>Regex.Escape(name)</c>, or the hand-written escape
/// <c>Regex.Replace(text, @"([.$^{\[(|)*+?\\])", "\\$1")</c>). Every character a hole could be, as far as the pattern's
/// syntax is concerned, is tried in its place (a literal, each metacharacter, a backslash that joins the next constant
/// character), and escaped text as nothing or as any one or two literal characters; the pattern is safe only when
/// every such reading that is a valid pattern cannot backtrack badly. Any other part (a parameter, a member of one, a
/// field that is not read-only, a call) may be a whole pattern of the content's choosing, and is not safe.
/// </summary>
internal static class RegexBuiltPatterns
{
    // What one character can be to the pattern's syntax: a literal, a wildcard, a group, a quantifier, an alternation,
    // an escape of the next character, a class, and the characters that change a group after "(?".
    private static readonly string[] CharacterReadings =
        [".", "a", "d", "1", "(", ")", "*", "+", "?", "|", "\\", "[", "]", "{", "}", "#", "<", "=", "!", ":"];

    // Escaped text is literal: nothing, or characters that may be any character.
    private static readonly string[] EscapedReadings = [string.Empty, @"[\s\S]", @"[\s\S][\s\S]"];

    // The metacharacters an escape must cover for its result to be literal text.
    private const string MustEscape = @"\*+?{()|[.";

    private const int MaxParts = 16;
    private const int MaxReadings = 512;

    /// <summary>True when the pattern is built only of constants and holes of the safe kinds, and no reading of it can backtrack badly.</summary>
    public static bool CannotBacktrackBadly(IOperation pattern)
    {
        var parts = new List<string[]>();
        if (!Collect(pattern, parts, 0) || parts.Aggregate(1L, (count, part) => Math.Min(count * part.Length, MaxReadings + 1)) > MaxReadings)
        {
            return false;
        }

        return Readings(parts).All(reading => !IsValid(reading) || RegexBacktracking.Risk(reading) is null);
    }

    private static bool Collect(IOperation? operation, List<string[]> parts, int depth)
    {
        if (operation is null || depth > 8 || parts.Count > MaxParts)
        {
            return false;
        }

        switch (operation.ConstantValue)
        {
            case { HasValue: true, Value: string text }:
                parts.Add([text]);
                return true;
            case { HasValue: true, Value: char character }:
                parts.Add([character.ToString()]);
                return true;
        }

        var value = operation.WalkDownConversions();
        if (value.Type?.SpecialType == SpecialType.System_Char)
        {
            parts.Add(CharacterReadings);
            return true;
        }

        switch (value)
        {
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.All(part => part switch
                {
                    IInterpolatedStringTextOperation text => Collect(text.Text, parts, depth + 1),
                    IInterpolationOperation { Alignment: null, FormatString: null } hole => Collect(hole.Expression, parts, depth + 1),
                    _ => false,
                });
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum when sum.Type?.SpecialType == SpecialType.System_String:
                return Collect(sum.LeftOperand, parts, depth + 1) && Collect(sum.RightOperand, parts, depth + 1);
            case IInvocationOperation call when IsEscape(call):
                parts.Add(EscapedReadings);
                return true;
            case ILocalReferenceOperation local:
                return Collect(Initializers.ValueOf(local.Local, value), parts, depth + 1);
            case IFieldReferenceOperation { Field: { IsReadOnly: true } or { IsConst: true } } field:
                return Collect(Initializers.ValueOf(field.Field, value), parts, depth + 1);
            default:
                return false;
        }
    }

    /// <summary><c>Regex.Escape(x)</c>, or <c>Regex.Replace(x, "([...])", "\\$1")</c> with a class of every metacharacter.</summary>
    private static bool IsEscape(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.ContainingType?.Name != "Regex" || method.ContainingType.ContainingNamespace?.ToDisplayString() != "System.Text.RegularExpressions")
        {
            return false;
        }

        if (method.Name == "Escape")
        {
            return true;
        }

        if (method.Name != "Replace" || !method.IsStatic
            || call.Arguments.Argument("pattern")?.Value.ConstantValue is not { HasValue: true, Value: string pattern }
            || call.Arguments.Argument("replacement")?.Value.ConstantValue is not { HasValue: true, Value: string replacement }
            || call.Arguments.Argument("options") is { } options && options.Value.ConstantValue is not { HasValue: true, Value: 0 })
        {
            return false;
        }

        // The whole match, or group 1 around the whole class, is put back behind a backslash.
        var grouped = pattern.Length > 2 && pattern[0] == '(' && pattern[pattern.Length - 1] == ')';
        var expected = grouped ? new[] { @"\$1", @"\${1}" } : new[] { @"\$0", @"\$&", @"\${0}" };
        var characterClass = grouped ? pattern.Substring(1, pattern.Length - 2) : pattern;
        return expected.Contains(replacement) && ClassMembers(characterClass) is { } members && MustEscape.All(members.Contains);
    }

    /// <summary>The characters a plain class (<c>[...]</c>, not negated, no ranges) lists, or null for anything else.</summary>
    private static string? ClassMembers(string pattern)
    {
        if (pattern.Length < 3 || pattern[0] != '[' || pattern[1] == '^' || pattern[pattern.Length - 1] != ']')
        {
            return null;
        }

        var members = new StringBuilder();
        for (var i = 1; i < pattern.Length - 1; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (++i >= pattern.Length - 1 || char.IsLetterOrDigit(pattern[i]))
                {
                    return null; // \d, \w, \x41: a class of characters, not the character.
                }

                c = pattern[i];
            }
            else if (c is '[' or ']' || (c == '-' && i > 1 && i < pattern.Length - 2))
            {
                return null; // a nested class, an early end, or a range: not a plain list.
            }

            members.Append(c);
        }

        return members.ToString();
    }

    private static IEnumerable<string> Readings(List<string[]> parts)
    {
        var indexes = new int[parts.Count];
        while (true)
        {
            var text = new StringBuilder();
            for (var i = 0; i < parts.Count; i++)
            {
                text.Append(parts[i][indexes[i]]);
            }

            yield return text.ToString();

            var position = parts.Count - 1;
            while (position >= 0 && ++indexes[position] == parts[position].Length)
            {
                indexes[position--] = 0;
            }

            if (position < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>A reading that is not a valid pattern throws where the regex is made: it never matches, slowly or not.</summary>
    private static bool IsValid(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
