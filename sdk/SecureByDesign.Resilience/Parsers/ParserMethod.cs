namespace SecureByDesign.Resilience.Parsers
{
    /// <summary>A static content parser of the built assembly.</summary>
    /// <param name="Name">The name users write: <c>Ns.Type.Method</c> (nested types joined with dots).</param>
    /// <param name="TypeName">The declaring type as reflection names it (<c>Ns.Outer+Inner</c>).</param>
    /// <param name="MethodName">The method's name.</param>
    /// <param name="Input">The parameter type.</param>
    /// <param name="Attributed">Whether the method carries a <c>ContentParserAttribute</c>.</param>
    public sealed record ParserMethod(string Name, string TypeName, string MethodName, InputKind Input, bool Attributed);
}
