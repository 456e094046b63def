using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SecureByDesign.Analyzers;

/// <summary>SBD1004: <c>var n = int.Parse(s);</c> becomes <c>if (!int.TryParse(s, out var n)) throw new InvalidDataException(...);</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThrowingParseFixer))]
public sealed class ThrowingParseFixer : TryFormFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ThrowingParse);
}
