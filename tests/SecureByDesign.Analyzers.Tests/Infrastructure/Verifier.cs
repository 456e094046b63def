using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SecureByDesign.Analyzers.Tests;

/// <summary>
/// The one test harness: Microsoft.CodeAnalysis.Testing over .NET 8 reference assemblies. A code fix
/// check also runs Fix All in document, project and solution scope (the framework's default).
/// </summary>
public static class Verifier<TAnalyzer, TFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    public static readonly ReferenceAssemblies Net80 = ReferenceAssemblies.Net.Net80;

    public static readonly ReferenceAssemblies Net80WithNewtonsoft =
        ReferenceAssemblies.Net.Net80.AddPackages(ImmutableArray.Create(new PackageIdentity("Newtonsoft.Json", "13.0.1")));

    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TFix, DefaultVerifier>.Diagnostic();

    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, Net80, expected);

    public static Task VerifyAnalyzerAsync(string source, ReferenceAssemblies references, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, ReferenceAssemblies = references };
        test.ExpectedDiagnostics.AddRange(expected);
        return RunAsync(test);
    }

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource, ReferenceAssemblies? references = null)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, ReferenceAssemblies = references ?? Net80 };
        test.ExpectedDiagnostics.AddRange(expected);
        return RunAsync(test);
    }

    /// <summary>Fix All must fix every diagnostic of the document in a single pass.</summary>
    public static Task VerifyFixAllAsync(string source, DiagnosticResult[] expected, string fixedSource, ReferenceAssemblies? references = null)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = references ?? Net80,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
            NumberOfFixAllInProjectIterations = 1,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return RunAsync(test);
    }

    /// <summary>Runs a test after its reference assemblies are on disk (see <see cref="ReferencePackages"/>).</summary>
    public static async Task RunAsync(Test test)
    {
        await ReferencePackages.EnsureAsync(test.ReferenceAssemblies);
        await test.RunAsync();
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = Net80;
        }
    }
}
