using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.RegexTimeoutAnalyzer,
    SecureByDesign.Analyzers.RegexTimeoutFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class RegexTimeoutTests
{
    [Fact]
    public async Task StaticMatchOnContent_IsFlagged()
    {
        const string source = """
            using System.Text.RegularExpressions;

            class Rules
            {
                bool Matches(string line) => {|#0:Regex.IsMatch(line, "^(a+)+$")|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"));
    }

    [Fact]
    public async Task InstanceFromFieldInitializerWithoutTimeout_IsFlagged()
    {
        const string source = """
            using System.Text.RegularExpressions;

            class Rules
            {
                private static readonly Regex Signature = {|#1:new Regex("(x+x+)+y", RegexOptions.Compiled)|};

                string Scan(string content) => {|#0:Signature.Replace(content, "")|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Regex.Replace", "'content' (a non-constant input)"));
    }

    [Fact]
    public async Task NameOfAType_IsTheProgramsNotContent()
    {
        // A formatter's name made from a type's full name (assembly parts stripped by a pattern that can backtrack)
        // matches the program's own metadata; the same pattern over a name read from content is flagged. Options chosen
        // between two constants (compiled unless ahead-of-time) are known: a pattern that cannot backtrack badly is quiet
        // with them, a nested quantifier is not.
        const string source = """
            using System;
            using System.IO;
            using System.Text.RegularExpressions;

            class Names
            {
                private static readonly Regex AssemblyVersion = {|#1:new Regex(@"(\w+\s?)+$", RegexOptions.Compiled)|};

                private static readonly Regex Version = new Regex(@", Version=\d+\.\d+", Aot ? RegexOptions.None : RegexOptions.Compiled);

                private static readonly Regex Nested = {|#3:new Regex(@"(x+x+)+y", Aot ? RegexOptions.None : RegexOptions.Compiled)|};

                private static bool Aot => AppContext.TryGetSwitch("Aot", out var on) && on;

                string FormatterName(Type type) => AssemblyVersion.Replace(type.FullName!, string.Empty) + "Formatter";

                string MemberName(System.Reflection.MemberInfo member) => AssemblyVersion.Replace(member.Name, string.Empty);

                string ReadName(TextReader reader) => {|#0:AssemblyVersion.Replace(reader.ReadLine()!, string.Empty)|};

                string ReadVersion(TextReader reader) => Version.Replace(reader.ReadLine()!, string.Empty);

                string ReadNested(TextReader reader) => {|#2:Nested.Replace(reader.ReadLine()!, string.Empty)|};
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Regex.Replace", "'reader.ReadLine()' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Regex.Replace", "'reader.ReadLine()' (a non-constant input)"));
    }

    [Fact]
    public async Task InstanceFromLocalAndGeneratedRegexWithoutTimeout_AreFlagged()
    {
        const string source = """
            using System.Text.RegularExpressions;

            partial class Rules
            {
                [{|#3:GeneratedRegex("(a|aa)+$")|}]
                private static partial Regex Pattern();
                private static partial Regex Pattern() => new Regex("(a|aa)+$");

                int Count(string content)
                {
                    var local = {|#2:new Regex("(a+)+b")|};
                    return {|#0:local.Matches(content)|}.Count + ({|#1:Pattern().IsMatch(content)|} ? 1 : 0);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithLocation(2).WithArguments("Regex.Matches", "'content' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(1).WithLocation(3).WithArguments("Regex.IsMatch", "'content' (a non-constant input)"));
    }

    [Fact]
    public async Task TimeoutNonBacktrackingOrConstantInput_IsQuiet()
    {
        const string source = """
            using System;
            using System.Text.RegularExpressions;

            partial class Rules
            {
                private static readonly Regex WithTimeout = new Regex("(a+)+$", RegexOptions.None, TimeSpan.FromSeconds(1));
                private static readonly Regex Linear = new Regex("(a+)+$", RegexOptions.NonBacktracking);

                [GeneratedRegex("(a|aa)+$", RegexOptions.None, 500)]
                private static partial Regex Bounded();
                private static partial Regex Bounded() => new Regex("(a|aa)+$", RegexOptions.None, TimeSpan.FromMilliseconds(500));

                bool Check(string line, Regex given) =>
                    Regex.IsMatch(line, "(a+)+$", RegexOptions.None, TimeSpan.FromSeconds(1))
                    || Regex.IsMatch(line, "(a+)+$", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)
                    || Regex.IsMatch("constant", "(a+)+$")
                    || WithTimeout.IsMatch(line)
                    || Linear.IsMatch(line)
                    || Bounded().IsMatch(line)
                    || given.IsMatch(line)
                    || Reassigned(line);

                static bool Reassigned(string line)
                {
                    var local = new Regex("(a+)+$");
                    local = new Regex("(a+)+$", RegexOptions.None, TimeSpan.FromSeconds(1));
                    return local.IsMatch(line);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task StaticCall_FixAddsOptionsAndTimeout()
    {
        const string source = """
            using System.Text.RegularExpressions;

            class Rules
            {
                bool Matches(string line) => {|#0:Regex.IsMatch(line, "^(a+)+$")|};
                string[] Fields(string line) => {|#1:Regex.Split(line, "(a|ab)+,", RegexOptions.CultureInvariant)|};
            }
            """;
        const string fixedSource = """
            using System;
            using System.Text.RegularExpressions;

            class Rules
            {
                bool Matches(string line) => Regex.IsMatch(line, "^(a+)+$", RegexOptions.None, TimeSpan.FromSeconds(1));
                string[] Fields(string line) => Regex.Split(line, "(a|ab)+,", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("Regex.Split", "'line' (a non-constant input)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task SharedField_FixAllAddsTimeoutToConstructionOnce()
    {
        const string source = """
            using System;
            using System.Text.RegularExpressions;

            class Rules
            {
                private static readonly Regex Signature = {|#2:new Regex("(x+x+)+y")|};

                bool A(string content) => {|#0:Signature.IsMatch(content)|};
                bool B(string content) => {|#1:Signature.Match(content)|}.Success;
            }
            """;
        const string fixedSource = """
            using System;
            using System.Text.RegularExpressions;

            class Rules
            {
                private static readonly Regex Signature = new Regex("(x+x+)+y", RegexOptions.None, TimeSpan.FromSeconds(1));

                bool A(string content) => Signature.IsMatch(content);
                bool B(string content) => Signature.Match(content).Success;
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithLocation(2).WithArguments("Regex.IsMatch", "'content' (a non-constant input)"),
                VerifyCS.Diagnostic().WithLocation(1).WithLocation(2).WithArguments("Regex.Match", "'content' (a non-constant input)"),
            ],
            fixedSource);
    }

    [Fact]
    public async Task GeneratedRegex_FixAddsTimeoutMilliseconds()
    {
        const string source = """
            using System.Text.RegularExpressions;

            partial class Rules
            {
                [{|#1:GeneratedRegex("(a|aa)+$", RegexOptions.IgnoreCase)|}]
                private static partial Regex Pattern();
                private static partial Regex Pattern() => new Regex("(a|aa)+$", RegexOptions.IgnoreCase);

                bool Check(string content) => {|#0:Pattern().IsMatch(content)|};
            }
            """;
        const string fixedSource = """
            using System.Text.RegularExpressions;

            partial class Rules
            {
                [GeneratedRegex("(a|aa)+$", RegexOptions.IgnoreCase, 1000)]
                private static partial Regex Pattern();
                private static partial Regex Pattern() => new Regex("(a|aa)+$", RegexOptions.IgnoreCase);

                bool Check(string content) => Pattern().IsMatch(content);
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(source, [VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Regex.IsMatch", "'content' (a non-constant input)")], fixedSource);
    }

    [Fact]
    public async Task InfiniteTimeouts_AreFlagged_AndTheFixReplacesThem()
    {
        const string source = """
            using System;
            using System.Text.RegularExpressions;
            using System.Threading;

            partial class Rules
            {
                private static readonly Regex Unbounded = {|#2:new Regex("(a+)+$", RegexOptions.None, Regex.InfiniteMatchTimeout)|};

                [{|#3:GeneratedRegex("(a|aa)+$", RegexOptions.None, -1)|}]
                private static partial Regex Pattern();
                private static partial Regex Pattern() => new Regex("(a|aa)+$");

                bool Check(string line) =>
                    {|#0:Regex.IsMatch(line, "(x+x+)+y", RegexOptions.None, Timeout.InfiniteTimeSpan)|}
                    || {|#1:Unbounded.IsMatch(line)|}
                    || {|#4:Pattern().IsMatch(line)|};
            }
            """;
        const string fixedSource = """
            using System;
            using System.Text.RegularExpressions;
            using System.Threading;

            partial class Rules
            {
                private static readonly Regex Unbounded = new Regex("(a+)+$", RegexOptions.None, TimeSpan.FromSeconds(1));

                [GeneratedRegex("(a|aa)+$", RegexOptions.None, 1000)]
                private static partial Regex Pattern();
                private static partial Regex Pattern() => new Regex("(a|aa)+$");

                bool Check(string line) =>
                    Regex.IsMatch(line, "(x+x+)+y", RegexOptions.None, TimeSpan.FromSeconds(1))
                    || Unbounded.IsMatch(line)
                    || Pattern().IsMatch(line);
            }
            """;

        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"),
                VerifyCS.Diagnostic().WithLocation(1).WithLocation(2).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"),
                VerifyCS.Diagnostic().WithLocation(4).WithLocation(3).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"),
            ],
            fixedSource);
    }

    [Theory]
    [InlineData("(a+)+")]
    [InlineData("^(a+)+$")]
    [InlineData("(a|aa)*")]
    [InlineData(@"(\w+\s?)*")]
    [InlineData("(x+x+)+y")]
    [InlineData(@"^(\s*\w+)*$")]
    [InlineData(@"((ab)+)*c")]
    [InlineData(@"(\w|\d)+$")]
    [InlineData(@"(?:[a-z]+[0-9]*)+!")]
    [InlineData(@"(a{1,10}){1,10}$")]
    [InlineData(@"\d+\d+x")]
    [InlineData(@"^\s*(.*)\s*$")]
    [InlineData(@"(?(x)a|b)")]
    [InlineData(@"(a+")]
    public void RiskyPatterns_AreRecognised(string pattern) =>
        Assert.NotNull(RegexBacktracking.Risk(pattern));

    [Fact]
    public void DeepOrLongPatterns_CountAsRisky_WithoutThrowing()
    {
        Assert.NotNull(RegexBacktracking.Risk(new string('(', 5000) + "a" + new string(')', 5000)));
        Assert.NotNull(RegexBacktracking.Risk(new string('(', 60) + "a" + new string(')', 60)));
        Assert.Null(RegexBacktracking.Risk(new string('(', 20) + "a" + new string(')', 20)));
        Assert.NotNull(RegexBacktracking.Risk(@"[a-\"));
        Assert.NotNull(RegexBacktracking.Risk(@"\x4"));
    }

    [Theory]
    [InlineData("a+b")]
    [InlineData(",")]
    [InlineData(@"^\d{1,3}(\.\d{1,3}){3}$")]
    [InlineData(@"^(\w+=[^;]*;)*$")]
    [InlineData(@"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")]
    [InlineData(@"^(GET|POST|PUT)\s+(\S+)\s+HTTP/\d\.\d$")]
    [InlineData(@"^(?<key>[^=]+)=(?<value>.*)$")]
    [InlineData(@"(\r\n|\n)+")]
    [InlineData(@"(?>\w+)+:")]
    [InlineData(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
    [InlineData(@"""([^""\\]|\\.)*""")]
    [InlineData(@"(?i)^v(\d+)\.(\d+)(?:\.(\d+))?$")]
    [InlineData(@"\s*,\s*")]
    public void LinearPatterns_AreNotRisky(string pattern) =>
        Assert.Null(RegexBacktracking.Risk(pattern));

    [Fact]
    public async Task PatternsThatCannotBacktrackBadly_AreQuiet_RiskyOrContentPatternsAreFlagged()
    {
        // Parsers split and match with linear patterns all the time: those need no timeout. The nested quantifier next
        // to them, and a pattern read from the content itself, still do.
        const string source = """
            using System.Text.RegularExpressions;

            partial class HeaderParser
            {
                private static readonly Regex Version = new Regex(@"^(\d+)\.(\d+)(?:\.(\d+))?$", RegexOptions.Compiled);
                private static readonly Regex Words = {|#2:new Regex(@"^(\w+\s?)*$")|};

                [GeneratedRegex(@"^(?<key>[^=]+)=(?<value>.*)$")]
                private static partial Regex Pair();
                private static partial Regex Pair() => new Regex(@"^(?<key>[^=]+)=(?<value>.*)$");

                bool Parse(string line, string ruleFromContent)
                {
                    var fields = Regex.Split(line, @"\s*,\s*");
                    var method = Regex.Match(line, @"^(GET|POST|PUT)\s+(\S+)\s+HTTP/\d\.\d$");
                    var separated = Regex.Replace(line, "(\r\n|\n)+", "\n", RegexOptions.CultureInvariant);
                    return Version.IsMatch(line) && Pair().IsMatch(line) && method.Success && fields.Length > 0 && separated.Length > 0
                        && {|#0:Regex.IsMatch(line, "(a|aa)*$")|}
                        && {|#1:Regex.IsMatch(line, ruleFromContent)|}
                        && {|#3:Words.IsMatch(line)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(3).WithLocation(2).WithArguments("Regex.IsMatch", "'line' (a non-constant input)"));
    }

    [Fact]
    public async Task PatternsInWhitespaceMode_AreReadWithoutTheirSpacesAndComments()
    {
        // RegexOptions.IgnorePatternWhitespace: spaces and # comments are layout. Read without them, a parameter name
        // pattern is linear; the nested quantifier laid out the same way is not, and neither is one whose options may
        // or may not set the mode. An escaped space and a space in a class stay characters.
        const string source = """
            using System.Text.RegularExpressions;

            class ScriptMapper
            {
                private static readonly Regex Parameter = new Regex(@"@(?<name> ([a-z]|_) ([a-z]|_|\d)* )  # a parameter", RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace);
                private static readonly Regex Spaced = new Regex(@"^ [ ]+ \  x $", RegexOptions.IgnorePatternWhitespace);
                private static readonly Regex Nested = {|#0:new Regex(@"^ ( \w+ \s? )* $  # words", RegexOptions.IgnorePatternWhitespace)|};

                bool Map(string script, bool layout)
                {
                    return Parameter.IsMatch(script) && Spaced.IsMatch(script)
                        && {|#1:Nested.IsMatch(script)|}
                        && {|#2:Regex.IsMatch(script, @"^ (a|b)+ $", layout ? RegexOptions.IgnorePatternWhitespace : RegexOptions.None)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(1).WithLocation(0).WithArguments("Regex.IsMatch", "'script' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("Regex.IsMatch", "'script' (a non-constant input)"));
    }

    [Fact]
    public async Task PatternsBuiltFromCharactersOrEscapedText_AreQuiet_OtherRunTimePartsAreFlagged()
    {
        // Settings like a quote or escape character, or delimiters escaped before use, cannot give the pattern a
        // nested quantifier; a pattern taken whole from a setting or the content, or a character put next to a group
        // it could repeat, can.
        const string source = """
            using System.Text.RegularExpressions;

            class Settings
            {
                public char Quote = '"';
                public char Escape = '\\';
                public string NewLine = "\n";
                public string[] Delimiters = { ",", ";" };
            }

            class Detector
            {
                private static readonly string Separator = "[;,]";

                int Detect(string text, Settings settings, string name)
                {
                    text = Regex.Replace(text, $"{settings.Quote}.*?{settings.Quote}", string.Empty, RegexOptions.Singleline);
                    text = Regex.Replace(text, $"({settings.Escape}.)", string.Empty, RegexOptions.Singleline);
                    text = Regex.Replace(text, "<" + Regex.Escape(name) + ">", string.Empty);
                    var count = Regex.Matches(text, Separator + @"\s*").Count;
                    foreach (var delimiter in settings.Delimiters)
                    {
                        var pattern = Regex.Replace(delimiter, @"([.$^{\[(|)*+?\\])", "\\$1");
                        count += Regex.Matches(text, pattern).Count;
                        var partial = Regex.Replace(delimiter, @"([.$^])", "\\$1");
                        count += {|#0:Regex.Matches(text, partial)|}.Count;
                    }

                    count += {|#1:Regex.Matches(text, settings.NewLine)|}.Count;
                    count += {|#2:Regex.Matches(text, $"(\\s*{Regex.Escape(name)})+")|}.Count;
                    count += {|#3:Regex.Matches(text, "(a" + settings.Quote + ")+")|}.Count;
                    return count + {|#4:Regex.Matches(text, $"({name})")|}.Count;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Regex.Matches", "'text' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Regex.Matches", "'text' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("Regex.Matches", "'text' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("Regex.Matches", "'text' (a non-constant input)"),
            VerifyCS.Diagnostic().WithLocation(4).WithArguments("Regex.Matches", "'text' (a non-constant input)"));
    }

    [Fact]
    public async Task RegexPassedToAPrivateHelper_IsJudgedByWhatItsCallsPass()
    {
        const string source = """
            using System.Text.RegularExpressions;

            class Dates
            {
                private static readonly Regex Plain = new Regex(@"^/Date\((-?\d+)\)/$");
                private static readonly Regex Nested = {|#1:new Regex(@"^new Date\((-?\d+)*\)$")|};

                public long Parse(string text) => text.StartsWith("/") ? Extract(text, Plain) : Extract(text, Nested);

                private static long Extract(string text, Regex pattern)
                {
                    var match = {|#0:pattern.Match(text)|};
                    return match.Success ? long.Parse(match.Groups[1].Value) : 0;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Regex.Match", "'text' (a non-constant input)"));
    }

    [Fact]
    public async Task RegexPassedToAPrivateHelper_IsQuiet_WhenEveryCallPassesASafeOne_OrTheHelperIsNotPrivate()
    {
        const string source = """
            using System;
            using System.Text.RegularExpressions;

            class Dates
            {
                private static readonly Regex Plain = new Regex(@"^/Date\((-?\d+)\)/$");
                private static readonly Regex Fixed = new Regex(@"^new Date\((-?\d+)\)$");
                private static readonly Regex Bounded = new Regex(@"^new Date\((-?\d+)*\)$", RegexOptions.None, TimeSpan.FromSeconds(1));

                public long Parse(string text) => text.StartsWith("/") ? Extract(text, Plain) : Extract(text, Fixed) + Extract(text, Bounded);

                private static long Extract(string text, Regex pattern)
                {
                    var match = pattern.Match(text);
                    return match.Success ? long.Parse(match.Groups[1].Value) : 0;
                }

                // Callers outside the type may pass anything: the construction cannot be seen.
                public static bool Open(string text, Regex pattern) => pattern.IsMatch(text);
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }
}
