using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ThrowingParseAnalyzer,
    SecureByDesign.Analyzers.ThrowingParseFixer>;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// A callee's summary follows what it returns through an out argument of a call it makes: a parser that returns the value
/// its <c>TryParse(text, out value)</c> gave returns what it was given, as the engine takes the out value of any call to be
/// as untrusted as the call's inputs; one that returns the value its own table gave, for a constant key, does not.
/// </summary>
public class SummaryOutArgumentTests
{
    [Fact]
    public async Task HelperReturningAnOutValueOfItsInput_CarriesTheInput_ButOneOfAConstantKeyDoesNot()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.IO;

            static class Text
            {
                private static readonly Dictionary<string, string> Defaults = new() { ["size"] = "16" };

                public static string Unquote(string text)
                {
                    string value;
                    if (TryUnquote(text, out value))
                        return value;
                    throw new FormatException("Invalid text");
                }

                public static string Default()
                {
                    string value;
                    return Defaults.TryGetValue("size", out value) ? value : "0";
                }

                private static bool TryUnquote(string text, out string value)
                {
                    value = text.Trim('"');
                    return value.Length > 0;
                }
            }

            class Settings
            {
                int Read(StreamReader reader) => {|#0:int.Parse(Text.Unquote(reader.ReadLine()))|} + int.Parse(Text.Default());
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments(
                "int.Parse", "Text.Unquote(reader.ReadLine())", "StreamReader.ReadLine (line 32)", "which throws on malformed content; use int.TryParse and reject the content"));
    }
}
