using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.EnumValueAnalyzer,
    SecureByDesign.Analyzers.EnumValueFixer>;

namespace SecureByDesign.Analyzers.Tests.Engine;

/// <summary>
/// A callee's summary carries the values that can become its result, not the conditions that choose among them: a
/// helper that maps content text to constant members returns a defined member whatever the text is.
/// </summary>
public class SummaryConditionTests
{
    [Fact]
    public async Task HelperThatMapsTextToConstantMembers_ReturnsADefinedValue_ButOneThatCastsItsInputDoesNot()
    {
        // The shape of encryption-info and header readers: an attribute's text mapped to an enum by a switch expression
        // or a conditional, beside a helper that casts what it was given.
        const string source = """
            using System;
            using System.Xml;

            enum Cipher { Aes = 1, Des = 2 }

            class EncryptionInfo
            {
                Cipher cipher, fallback, raw;

                static Cipher ParseCipher(string value) => value switch
                {
                    "AES" => Cipher.Aes,
                    "DES" => Cipher.Des,
                    _ => throw new ArgumentException("Unknown cipher: " + value),
                };

                static Cipher ParseOrDefault(string value) => value == "DES" ? Cipher.Des : Cipher.Aes;

                static Cipher FromNumber(string value) => (Cipher)int.Parse(value);

                void Read(XmlReader reader)
                {
                    cipher = ParseCipher(reader.GetAttribute("cipherAlgorithm"));
                    fallback = ParseOrDefault(reader.GetAttribute("cipherAlgorithm"));
                    raw = {|#0:FromNumber(reader.GetAttribute("cipherId"))|};
                }

                // Code that takes for granted that a cipher is a member, so the stored value matters.
                static int KeySize(Cipher c) => {|#1:c|} switch { Cipher.Aes => 32, Cipher.Des => 8 };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "FromNumber(reader.GetAttribute(\"cipherId\"))",
                "XmlReader.GetAttribute (line 25)",
                "stored in 'raw', and 'Cipher' is switched on by a switch expression with no discard arm at Test0.cs line 29",
                "Cipher"));
    }
}
