using System.Text.RegularExpressions;
using SecureByDesign;

namespace EndpointAgent.Rules;

/// <summary>One detection rule: a name and the pattern a process command line is matched against.</summary>
public sealed record DetectionRule(string Name, string Pattern, string? Host);

/// <summary>
/// Reads the rule file of a content update: one rule a line, "name|pattern|host". The rule file comes
/// from the update server, so every field of it is untrusted.
/// </summary>
public static class RuleFileParser
{
    // Built once, with a match timeout: no finding when it is used.
    private static readonly Regex Separator = new(@"\s*\|\s*", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));

    // Built without a timeout: every match over rule-file text is unbounded.
    private static readonly Regex HostName = new(@"^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$", RegexOptions.IgnoreCase);

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
            if (host is not null && !HostName.IsMatch(host)) // Expected: SBD1005 (HostName was built without a timeout)
            {
                continue;
            }

            rules.Add(new DetectionRule(fields[0], fields[1], host));
        }

        return rules;
    }

    /// <summary>True when the command line of a process matches the rule.</summary>
    public static bool Matches(DetectionRule rule, string commandLine) =>
        Regex.IsMatch(commandLine, rule.Pattern, RegexOptions.IgnoreCase); // Expected: SBD1005 (pattern and input from outside, no timeout)

    /// <summary>The same match, bounded: no finding.</summary>
    public static bool MatchesBounded(DetectionRule rule, string commandLine) =>
        Regex.IsMatch(commandLine, rule.Pattern, RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));
}
