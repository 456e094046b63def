using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ThrowingParseAnalyzer,
    SecureByDesign.Analyzers.ThrowingParseFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1004 on the tokens of a library's own text reader: a token's string is content where a token is read, but not in
/// the token's own code (read through <c>this</c>, on every value the program builds too) nor in a text writer's code
/// (an emitter writes the tokens the program hands it).
/// </summary>
public class ThrowingParseTokenTests
{
    private const string Throws = "which throws on malformed content; use int.TryParse and reject the content";

    private const string Library = """

        class Value
        {
            public Value(string text) { Text = text; }
            public string Text { get; }
            public int Number => int.Parse(Text);
            public int Width() => int.Parse(this.Text) + 1;
        }

        class ValueReader
        {
            private readonly TextReader input;
            public ValueReader(TextReader input) { this.input = input; }
            public ValueReader(string text) : this(new StringReader(text)) { }
            public Value ReadValue() => new Value(input.ReadLine());
        }
        """;

    [Fact]
    public async Task TokenString_ReadThroughAToken_IsContent_ButNotThroughThisInTheTokensOwnCode()
    {
        const string source = """
            using System.IO;

            class Loader
            {
                public int Load(ValueReader reader) => {|#0:int.Parse(reader.ReadValue().Text)|};
                public int Compare(Value left, Value right) => {|#1:int.Parse(left.Text)|} - right.Number;
            }
            """ + Library;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("int.Parse", "reader.ReadValue().Text", "Value.Text (line 5)", Throws),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("int.Parse", "left.Text", "Value.Text (line 6)", Throws));
    }

    [Fact]
    public async Task TokenString_InATextWritersCode_IsQuiet_ButNotInAReaderThatAlsoWrites()
    {
        const string source = """
            using System.IO;

            class Emitter
            {
                private readonly TextWriter output;
                public Emitter(TextWriter output) { this.output = output; }
                public void Emit(Value value) => output.Write(int.Parse(value.Text));

                public void EmitAll(Value[] values)
                {
                    foreach (var value in values)
                    {
                        var text = value.Text;
                        if (text.Length > 0)
                        {
                            output.Write(int.Parse(text));
                        }
                    }
                }
            }

            class Copier
            {
                private readonly TextReader input;
                private readonly TextWriter output;
                public Copier(TextReader input, TextWriter output) { this.input = input; this.output = output; }
                public string ReadLine() => input.ReadLine();
                public void Copy(Value value) => output.Write({|#0:int.Parse(value.Text)|});
            }

            class Saver
            {
                public int Save(Value value) => {|#1:int.Parse(value.Text)|};
            }
            """ + Library;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("int.Parse", "value.Text", "Value.Text (line 28)", Throws),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("int.Parse", "value.Text", "Value.Text (line 33)", Throws));
    }

    [Fact]
    public async Task ReaderTheMethodBuildsOverTextItDoesNotTraceToContent_IsQuiet_OverContentOrHandedIn_IsFlagged()
    {
        const string source = """
            using System.IO;

            class Patterns
            {
                public int Constant()
                {
                    var reader = new ValueReader("12");
                    return int.Parse(reader.ReadValue().Text);
                }

                public int Given(string pattern)
                {
                    var reader = new ValueReader(pattern);
                    var value = reader.ReadValue();
                    return int.Parse(value.Text);
                }

                public int Line(TextReader input)
                {
                    var reader = new ValueReader(input.ReadLine());
                    return {|#0:int.Parse(reader.ReadValue().Text)|};
                }

                public int Over(TextReader input)
                {
                    var reader = new ValueReader(input);
                    return {|#1:int.Parse(reader.ReadValue().Text)|};
                }

                public int Handed(ValueReader reader) => {|#2:int.Parse(reader.ReadValue().Text)|};
            }
            """ + Library;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("int.Parse", "reader.ReadValue().Text", "Value.Text (line 21)", Throws),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("int.Parse", "reader.ReadValue().Text", "Value.Text (line 27)", Throws),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("int.Parse", "reader.ReadValue().Text", "Value.Text (line 30)", Throws));
    }
}
