using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1006 (zip slip): a path from content (an archive entry's name, or any untrusted string, alone or combined into a
/// path) that reaches a call that writes, copies, moves or creates on disk, directly or through a helper of the
/// compilation that passes it on unchecked (<see cref="PathHelpers"/>), with no containment check on every path
/// before it; and the containment check itself when its root does not end with a directory separator. The engine
/// records which paths a <c>Path.GetFullPath(p).StartsWith(root)</c> check vouches for (<see cref="PathContainment"/>).
/// <c>ZipFile.ExtractToDirectory</c> is not a sink: it checks every entry itself.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PathContainmentAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic properties for the fixer: which finding it is, and the root the path was built on, as written.</summary>
    public const string KindKey = "Kind";
    public const string RootKey = "Root";
    public const string MissingCheck = "MissingCheck";
    public const string RootWithoutSeparator = "RootWithoutSeparator";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PathWithoutContainment);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var trust = TrustModel.For(start.Compilation);
            FlowRules.Register(
                start,
                nameof(PathContainmentAnalyzer),
                operation => operation switch
                {
                    IInvocationOperation invocation => PathHelpers.MayWrite(invocation.TargetMethod, trust) || PathContainment.IsPrefixCheck(invocation),
                    IObjectCreationOperation { Constructor: { } constructor } => PathHelpers.MayWrite(constructor, trust),
                    _ => false,
                },
                Inspect,
                relatesTests: true);
        });
    }

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        switch (operation)
        {
            case IInvocationOperation invocation when PathContainment.IsPrefixCheck(invocation):
                CheckRoot(report, invocation, state, flow);
                break;
            case IInvocationOperation invocation:
                CheckWrite(report, invocation, invocation.TargetMethod, invocation.Arguments, state, flow);
                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                CheckWrite(report, creation, constructor, creation.Arguments, state, flow);
                break;
        }
    }

    private static void CheckWrite(Action<Diagnostic> report, IOperation call, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, FlowState state, FlowContext flow)
    {
        var write = PathHelpers.Find(method, flow.Summaries, flow.CancellationToken);
        if (write is null || arguments.Argument(write.Parameter) is not { } argument || argument.Value.Type?.SpecialType != SpecialType.System_String)
        {
            return;
        }

        // File.Open and FileStream with FileAccess.Read only read: out of this rule's scope.
        if (PathHelpers.OnlyReads(arguments))
        {
            return;
        }

        var path = argument.Value;
        var fact = Evaluator.Eval(path, state, flow);
        if (!fact.Untrusted || PathContainment.Contained(path, state) is { Lower: not null } || PathContainment.ContainedValue(path, state, flow) is not null)
        {
            // Checked on every path; a check against a root without the separator is reported at the check.
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, MissingCheck);
        if (RootOf(path, flow.Compilation, 0) is { } root && !Evaluator.Eval(root, state, flow).Untrusted)
        {
            properties = properties.Add(RootKey, root.Syntax.ToString());
        }

        var sink = SymbolEqualityComparer.Default.Equals(write.Sink, method) ? $"'{method.ShortName()}'" : $"'{method.ShortName()}', which writes it with '{write.Sink.ShortName()}',";
        report(Diagnostic.Create(
            Descriptors.PathWithoutContainment,
            path.Syntax.GetLocation(),
            properties,
            $"Path '{path.Describe()}' from {fact.Origin} reaches {sink} with no containment check",
            "check that Path.GetFullPath of it starts with the root directory and a trailing separator before writing"));
    }

    /// <summary>A containment check of an untrusted path whose root may lack the trailing separator.</summary>
    private static void CheckRoot(Action<Diagnostic> report, IInvocationOperation check, FlowState state, FlowContext flow)
    {
        var root = PathContainment.Uncaptured(check.Arguments[0].Value, flow);
        var subject = PathContainment.Uncaptured(check.Instance!, flow);
        if (!Evaluator.Eval(check.Instance, state, flow).Untrusted || !PathContainment.NormalizedKeys(subject, flow.Compilation).Any() || PathContainment.RootEndsWithSeparator(root, flow.Compilation))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, RootWithoutSeparator).Add(RootKey, root.Syntax.ToString());
        var example = root.ConstantValue is { HasValue: true, Value: string text } ? $"'{text}' accepts '{text}side'" : "'/data/out' accepts '/data/outside'";
        report(Diagnostic.Create(
            Descriptors.PathWithoutContainment,
            root.Syntax.GetLocation(),
            properties,
            $"Containment check '{check.Describe()}' compares with root '{root.Describe()}', which is not known to end with a directory separator ({example})",
            "append Path.DirectorySeparatorChar to the root"));
    }

    /// <summary>The directory a path was built on: the first part of <c>Path.Combine</c>/<c>Join</c> or of a concatenation, through locals.</summary>
    private static IOperation? RootOf(IOperation path, Compilation? compilation, int depth)
    {
        path = path.WalkDownConversions();
        switch (path)
        {
            case IInvocationOperation { TargetMethod.Name: "Combine" or "Join", TargetMethod.ContainingType.Name: "Path", Arguments.Length: > 0 } combine when depth < 4:
                var first = combine.Arguments[0].Value;
                return first is IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } parts } ? parts[0] : first;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation when depth < 4:
                return RootOf(concatenation.LeftOperand, compilation, depth + 1) ?? concatenation.LeftOperand;
            case ILocalReferenceOperation local when depth < 4:
                return Initializers.ValueOf(local.Local, compilation) is { } value ? RootOf(value, compilation, depth + 1) : null;
            default:
                return null;
        }
    }
}
