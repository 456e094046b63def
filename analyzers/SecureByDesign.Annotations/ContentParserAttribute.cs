using System;

namespace SecureByDesign;

/// <summary>
/// Marks a method that parses untrusted content: every parameter is untrusted. The resilience gate runs
/// static parsers that take <c>byte[]</c>, <c>ReadOnlySpan&lt;byte&gt;</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>,
/// <c>Stream</c> or <c>string</c> against the shipped content and mutations of it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ContentParserAttribute : Attribute
{
    /// <summary>The name of the content schema this parser reads (a target's <c>custom.schema.name</c>).</summary>
    public string? Schema { get; set; }

    /// <summary>How many fields each record of that schema has, as this parser expects them.</summary>
    public int Fields { get; set; }
}
