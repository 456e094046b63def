using System.Text.RegularExpressions;
using SecureByDesign;

namespace EndpointAgent.Rules;

/// <summary>One detection rule: a name and the pattern a process command line is matched against.</summary>
public sealed record DetectionRule(string Name, string Pattern, string? Host);

/// <summary>
/// Reads the rule file of a content update: one rule a line, "name|pattern|host". The rule file comes from the
/// update server, so every field of it is untrusted: the fixed expressions run without backtracking, and a rule's
/// own pattern runs with a match timeout.
/// </summary>
public static class RuleFileParser
{
    private static readonly Regex Separator = new(@"\s*\|\s*", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex HostName = new(@"^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking);

    [ContentParser(Schema = "rules", Fields = 3)]
    public static IReadOnlyList<DetectionRule> Parse(string ruleFile)
    {
        var rules = new List<DetectionRule>();
        foreach (var line in ruleFile.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = Separator.Split(line);
            if (fields.Length != 3 || line.StartsWith('#'))
            {
                continue;
            }

            var host = fields[2].Length == 0 ? null : fields[2];
            if (host is not null && !HostName.IsMatch(host))
            {
                continue;
            }

            rules.Add(new DetectionRule(fields[0], fields[1], host));
        }

        return rules;
    }

    /// <summary>True when the command line of a process matches the rule; a pattern that runs too long does not match.</summary>
    public static bool Matches(DetectionRule rule, string commandLine)
    {
        try
        {
            return Regex.IsMatch(commandLine, rule.Pattern, RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
