using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Tests.Trust;

/// <summary>
/// A test-only analyzer that reports what the trust model says, so the plumbing (options read from
/// .editorconfig and .globalconfig, annotations matched by simple name) is tested through the compiler's
/// real configuration pipeline, the way every rule will use it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrustProbeAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Source = new("PROBE1", "source", "configured source '{0}'", "Test", DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor Parameter = new("PROBE2", "parameter", "untrusted parameter '{0}'", "Test", DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor Limits = new("PROBE3", "limits", "max_allocation {0}, max_stackalloc_bytes {1}", "Test", DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor Marked = new("PROBE4", "marked", "'{0}' is marked {1}", "Test", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Source, Parameter, Limits, Marked);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(
            c =>
            {
                var invocation = (IInvocationOperation)c.Operation;
                if (TrustOptions.For(c.Options, c.Operation.Syntax.SyntaxTree).IsConfiguredSource(invocation.TargetMethod))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Source, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
                }
            },
            OperationKind.Invocation);
        context.RegisterSymbolAction(
            c =>
            {
                var method = (IMethodSymbol)c.Symbol;
                foreach (var parameter in method.Parameters.Where(Annotations.IsUntrustedParameter))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Parameter, parameter.Locations[0], parameter.Name));
                }

                foreach (var name in new[] { Annotations.ContentValidator, Annotations.UpdateVerifier })
                {
                    if (Annotations.Has(method, name))
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Marked, method.Locations[0], method.Name, name));
                    }
                }

                if (Annotations.ReturnHas(method, Annotations.UntrustedContent))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Marked, method.Locations[0], method.Name, "return: " + Annotations.UntrustedContent));
                }

                if (method.Name == "Limits")
                {
                    var options = TrustOptions.For(c.Options, method.Locations[0].SourceTree!);
                    c.ReportDiagnostic(Diagnostic.Create(Limits, method.Locations[0], options.MaxAllocation, options.MaxStackallocBytes));
                }
            },
            SymbolKind.Method);
        context.RegisterSymbolAction(
            c =>
            {
                if (Annotations.Has(c.Symbol, Annotations.UntrustedContent))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Marked, c.Symbol.Locations[0], c.Symbol.Name, Annotations.UntrustedContent));
                }
            },
            SymbolKind.Field,
            SymbolKind.Property);
    }
}
