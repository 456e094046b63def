using System;

namespace SecureByDesign;

/// <summary>
/// Marks a parameter, field, property or return value as untrusted content: bytes, text or numbers that
/// came from outside the process (a content update, a file, the network). The analyzers treat every
/// value read from it as untrusted until a dominating check bounds it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.ReturnValue, Inherited = true)]
public sealed class UntrustedContentAttribute : Attribute
{
}
