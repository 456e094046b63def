using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD3001: downloaded data (or a file written from it, or a stream of it) reaching a sink that persists or runs it,
/// with no verification of that same data on every path before. The engine carries downloads and verifications
/// (<see cref="UpdateTrail"/>); this file names the sinks.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UpdateVerificationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property for the fixer: the data as written.</summary>
    public const string DataKey = "Data";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnverifiedUpdate);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        // Only methods with a sink get a graph.
        context.RegisterCompilationStartAction(start =>
        {
            var trust = TrustModel.For(start.Compilation);
            FlowRules.Register(
                start,
                nameof(UpdateVerificationAnalyzer),
                operation => operation switch
                {
                    IInvocationOperation invocation => Sink(invocation, trust, start.Compilation, invocation.SemanticModel).Data is not null,
                    IObjectCreationOperation creation => trust.Find(creation.Constructor, TrustRole.Run) is not null,
                    IPropertyReferenceOperation property => trust.Find(property.Property, TrustRole.Run) is not null,
                    _ => false,
                },
                Inspect);
        });
    }

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        var (data, sink, written) = operation switch
        {
            IInvocationOperation invocation => Sink(invocation, flow.Trust, flow.Compilation, flow.Model),
            IObjectCreationOperation { Arguments.Length: > 0 } start when flow.Trust.Find(start.Constructor, TrustRole.Run) is { } run => (TrustEntry.Argument(start, run.Data), "Process.Start", (IOperation?)null),
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment when flow.Trust.Find(property.Property, TrustRole.Run) is not null => (assignment.Value, "Process.Start", null),
            _ => ((IOperation?)null, (string?)null, (IOperation?)null),
        };
        if (data is null || sink is null || Evaluator.Eval(data, state, flow).Trail is not { Unverified: true } trail)
        {
            return;
        }

        if (written is not null && FlowKey.Of(written) is { } path && VerifiedLater(operation, path, flow.Model, flow.Trust, flow.Options, flow.Summaries.OptionsOf))
        {
            // Downloaded to a file that the method verifies before it uses it: the uses are checked, not the write.
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(DataKey, data.WalkDownConversions().Syntax.ToString());
        report(Diagnostic.Create(Descriptors.UnverifiedUpdate, data.Syntax.GetLocation(), properties, data.WalkDownConversions().Describe(), trail.Download, sink));
    }

    /// <summary>The data a call persists, extracts, loads or runs, the sink's name, and the file it writes (for a write of data).</summary>
    private static (IOperation? Data, string? Sink, IOperation? Written) Sink(IInvocationOperation invocation, TrustModel trust, Compilation? compilation, SemanticModel? model)
    {
        var method = invocation.TargetMethod;
        var name = $"{method.ContainingType?.Name}.{method.Name}";
        if (trust.Find(method, TrustRole.WriteFile) is { Data: { } written } write)
        {
            return (TrustEntry.Argument(invocation, written), name, TrustEntry.Argument(invocation, write.Path));
        }

        var sink = trust.Find(method, TrustRole.CopyFile) ?? trust.Find(method, TrustRole.Extract) ?? trust.Find(method, TrustRole.Load) ?? trust.Find(method, TrustRole.Run);
        if (sink?.Data is { } data && TrustEntry.Argument(invocation, data) is { } value
            && (sink.Role != TrustRole.Run || value.Type?.SpecialType == SpecialType.System_String))
        {
            return (value, name, null);
        }

        if (Files.IntoStream(invocation, trust, compilation, model) is ({ } streamed, var file))
        {
            var into = method.Name.StartsWith("Copy", StringComparison.Ordinal) ? $"Stream.{method.Name} into a file" : $"FileStream.{method.Name}";
            return (streamed, into, file);
        }

        return (null, null, null);
    }

    /// <summary>True when a verification after the write, in the same method, is given the written file.</summary>
    private static bool VerifiedLater(IOperation write, object path, SemanticModel? model, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf)
    {
        var member = write.Syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax);
        if (member is null || model is null || model.SyntaxTree != member.SyntaxTree)
        {
            return false;
        }

        foreach (var call in member.DescendantNodes().OfType<InvocationExpressionSyntax>().Where(c => c.SpanStart > write.Syntax.Span.End))
        {
            if (model.GetOperation(call) is IInvocationOperation verification && Verification.KindOf(verification, trust, options, optionsOf) != Verification.Kind.None
                && Verification.Verified(verification, trust, model).Contains(path))
            {
                return true;
            }
        }

        // WinVerifyTrust(IntPtr.Zero, ref action, data) != 0 (or == 0) on a request made from the written file's path.
        foreach (var comparison in member.DescendantNodes().OfType<BinaryExpressionSyntax>().Where(c => c.SpanStart > write.Syntax.Span.End))
        {
            if (model.GetOperation(comparison) is IBinaryOperation binary
                && Verification.NativeProven(binary, out _).Any(value => FlowKey.Of(value) is { } key && FlowKey.Comparer.Equals(key, path)))
            {
                return true;
            }
        }

        return false;
    }
}
