using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1008: <c>var size = root.GetProperty("size");</c> becomes
/// <c>if (!root.TryGetProperty("size", out var size)) throw new InvalidDataException(...);</c>, and likewise for the
/// <c>Get*</c> accessors that have a <c>TryGet*</c> form.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(JsonAccessorFixer))]
public sealed class JsonAccessorFixer : TryFormFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ThrowingJsonAccessor);
}
