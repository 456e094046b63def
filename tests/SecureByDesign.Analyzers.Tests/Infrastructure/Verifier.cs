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

    /// <summary>
    /// Newtonsoft.Json as a library the tested code references. It is taken from this test project's own package
    /// reference rather than downloaded by the testing library, whose first download on a fresh machine resolves
    /// the package without its assembly.
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> Newtonsoft =
        [MetadataReference.CreateFromFile(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)];

    /// <summary>SecureByDesign.Updates, this repository's TUF library, as a project of a vendor references it.</summary>
    public static readonly ImmutableArray<MetadataReference> Updates =
        [MetadataReference.CreateFromFile(typeof(SecureByDesign.Updates.Model.TargetFile).Assembly.Location)];

    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TFix, DefaultVerifier>.Diagnostic();

    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, [], expected);

    public static Task VerifyAnalyzerAsync(string source, ImmutableArray<MetadataReference> libraries, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.TestState.AdditionalReferences.AddRange(libraries);
        test.ExpectedDiagnostics.AddRange(expected);
        return RunAsync(test);
    }

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource, ImmutableArray<MetadataReference> libraries = default)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.AdditionalReferences.AddRange(libraries.IsDefault ? [] : libraries);
        test.FixedState.AdditionalReferences.AddRange(libraries.IsDefault ? [] : libraries);
        test.ExpectedDiagnostics.AddRange(expected);
        return RunAsync(test);
    }

    /// <summary>Fix All must fix every diagnostic of the document in a single pass.</summary>
    public static Task VerifyFixAllAsync(string source, DiagnosticResult[] expected, string fixedSource, ImmutableArray<MetadataReference> libraries = default)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
            NumberOfFixAllInProjectIterations = 1,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck,
        };
        test.TestState.AdditionalReferences.AddRange(libraries.IsDefault ? [] : libraries);
        test.FixedState.AdditionalReferences.AddRange(libraries.IsDefault ? [] : libraries);
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
