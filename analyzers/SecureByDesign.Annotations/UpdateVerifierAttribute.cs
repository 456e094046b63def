using System;

namespace SecureByDesign;

/// <summary>
/// Marks a method that verifies the signature of downloaded content or an update. Its result must decide:
/// it throws on failure, or its <c>bool</c> result is tested before the content is written or run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UpdateVerifierAttribute : Attribute
{
}
