using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

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
        context.RegisterCompilationStartAction(start => FlowRules.Register(
            start,
            nameof(UpdateVerificationAnalyzer),
            operation => operation switch
            {
                IInvocationOperation invocation => Sink(invocation).Data is not null,
                IObjectCreationOperation creation => creation.Constructor?.ContainingType.Name == "ProcessStartInfo",
                IPropertyReferenceOperation property => property.Property is { Name: "FileName", ContainingType.Name: "ProcessStartInfo" },
                _ => false,
            },
            Inspect));
    }

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        var (data, sink, written) = operation switch
        {
            IInvocationOperation invocation => Sink(invocation),
            IObjectCreationOperation { Constructor.ContainingType.Name: "ProcessStartInfo", Arguments.Length: > 0 } start => (start.Arguments[0].Value, "Process.Start", (IOperation?)null),
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "FileName", Property.ContainingType.Name: "ProcessStartInfo" } } assignment => (assignment.Value, "Process.Start", null),
            _ => ((IOperation?)null, (string?)null, (IOperation?)null),
        };
        if (data is null || sink is null || Evaluator.Eval(data, state, flow).Trail is not { Unverified: true } trail)
        {
            return;
        }

        if (written is not null && FlowKey.Of(written) is { } path && VerifiedLater(operation, path, flow.Model))
        {
            // Downloaded to a file that the method verifies before it uses it: the uses are checked, not the write.
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(DataKey, data.WalkDownConversions().Syntax.ToString());
        report(Diagnostic.Create(Descriptors.UnverifiedUpdate, data.Syntax.GetLocation(), properties, data.WalkDownConversions().Describe(), trail.Download, sink));
    }

    /// <summary>The data a call persists or runs, the sink's name, and the file it writes (for a write).</summary>
    private static (IOperation? Data, string? Sink, IOperation? Written) Sink(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        var name = $"{type?.Name}.{method.Name}";
        IOperation? Argument(int ordinal) => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value;
        switch (type?.Name, method.Name)
        {
            case ("File", var write) when write.StartsWith("WriteAll", StringComparison.Ordinal) || write.StartsWith("AppendAll", StringComparison.Ordinal):
                return (Argument(1), name, Argument(0));
            case ("File", "Copy" or "Move" or "Replace"):
            case ("ZipFile", "ExtractToDirectory"):
            case ("ZipFileExtensions", "ExtractToDirectory"):
            case ("Assembly", "Load" or "LoadFrom" or "LoadFile" or "UnsafeLoadFrom"):
            case ("AssemblyLoadContext", "LoadFromAssemblyPath" or "LoadFromStream" or "LoadFromNativeImagePath"):
            case ("Process", "Start") when Argument(0)?.Type?.SpecialType == SpecialType.System_String:
                return (Argument(0), name, null);
            case ("ZipArchive", "ExtractToDirectory"):
                return (invocation.Instance, name, null);
            case (_, "Write" or "WriteAsync" or "WriteByte") when IsFileStream(invocation.Instance):
                return (Argument(0), $"FileStream.{method.Name}", null);
            case (_, "CopyTo" or "CopyToAsync") when IsFileStream(Argument(0)):
                return (invocation.Instance, $"Stream.{method.Name} into a file", null);
            default:
                return (null, null, null);
        }
    }

    /// <summary>A FileStream, or a stream local made by File.Create/OpenWrite/Open or new FileStream.</summary>
    private static bool IsFileStream(IOperation? operation)
    {
        if (operation is null)
        {
            return false;
        }

        for (var type = operation.WalkDownConversions().Type; type is not null; type = type.BaseType)
        {
            if (type.Name == "FileStream")
            {
                return true;
            }
        }

        return operation.WalkDownConversions() is ILocalReferenceOperation local
            && Operations.OnlyValue(local.Local, operation) is { } initializer
            && initializer.ToString().Replace(" ", "") is var text
            && (text.StartsWith("File.Create(", StringComparison.Ordinal) || text.StartsWith("File.OpenWrite(", StringComparison.Ordinal) || text.StartsWith("newFileStream(", StringComparison.Ordinal));
    }

    /// <summary>True when a verification after the write, in the same method, is given the written file.</summary>
    private static bool VerifiedLater(IOperation write, object path, SemanticModel? model)
    {
        var member = write.Syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax);
        if (member is null || model is null || model.SyntaxTree != member.SyntaxTree)
        {
            return false;
        }

        foreach (var call in member.DescendantNodes().OfType<InvocationExpressionSyntax>().Where(c => c.SpanStart > write.Syntax.Span.End))
        {
            if (model.GetOperation(call) is IInvocationOperation verification && Verification.KindOf(verification) != Verification.Kind.None
                && Verification.Verified(verification, model).Contains(path))
            {
                return true;
            }
        }

        return false;
    }
}
