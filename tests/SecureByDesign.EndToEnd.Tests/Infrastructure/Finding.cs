using System.Text.RegularExpressions;

namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>One SecureByDesign diagnostic as <c>dotnet build</c> prints it.</summary>
public sealed record Finding(string Path, int Line, int Column, string Severity, string Id, string Message)
{
    private static readonly Regex Pattern = new(
        @"^\s*(?<path>.+?)\((?<line>\d+),(?<column>\d+)\): (?<severity>warning|error) (?<id>SBD\d{4}): (?<message>.*?)(?: \[[^\]]*\])?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Multiline,
        TimeSpan.FromSeconds(5));

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The SBD findings in a build's output, once each (MSBuild repeats them in its summary).</summary>
    public static IReadOnlyList<Finding> Parse(string output) =>
        Pattern.Matches(output)
            .Select(m => new Finding(
                m.Groups["path"].Value,
                int.Parse(m.Groups["line"].Value),
                int.Parse(m.Groups["column"].Value),
                m.Groups["severity"].Value,
                m.Groups["id"].Value,
                m.Groups["message"].Value))
            .Distinct()
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Line)
            .ThenBy(f => f.Column)
            .ToList();

    public override string ToString() => $"{FileName}({Line},{Column}): {Severity} {Id}";
}
