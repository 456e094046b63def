using System;

namespace Vendor.Content;

/// <summary>A vendor's own copy of the attribute: the gate matches it by simple name.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ContentParserAttribute : Attribute
{
}
