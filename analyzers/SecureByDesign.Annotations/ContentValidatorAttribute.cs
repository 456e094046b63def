using System;

namespace SecureByDesign;

/// <summary>
/// Marks a method that validates content: when it returns normally (or returns <c>true</c> on the path
/// taken), every argument it was given counts as checked.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ContentValidatorAttribute : Attribute
{
}
