using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1009: a dereference (<c>x.Member</c>, <c>x.Call()</c>, <c>x[i]</c>, <c>foreach (... in x)</c>) of an object deserialized
/// from untrusted content, or of a reference-typed member of one, that may be null there. The engine keeps the null
/// state (<see cref="NullStates"/>): null tests, patterns, <c>?.</c>, <c>??</c> and earlier dereferences prove a value not
/// null, and a <c>[ContentValidator]</c> given the object makes all of it trusted.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeserializedMemberAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UncheckedDeserializedMember);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // A method gets a graph for this rule only where it calls a deserializer, which spells its name.
            if (!SpelledNames.For(start.Compilation).AnyMember(TrustRole.Deserialize, start.CancellationToken))
            {
                return;
            }

            var trust = TrustModel.For(start.Compilation);
            bool IsDeserialization(IOperation operation) => operation is IInvocationOperation invocation && NullStates.IsDeserializer(invocation.TargetMethod, trust);
            FlowRules.Register(start, new FlowFamily(
                nameof(DeserializedMemberAnalyzer),
                IsDeserialization,
                IsDeserialization,
                report =>
                {
                    // A statement that dereferences the same value twice (config.A + config.B) gets one finding for it:
                    // the callbacks of one statement share its state (and version), so those and the value's path identify it.
                    var reported = new HashSet<(FlowState, int, object)>();
                    return (operation, state, flow) => Inspect(report, reported, operation, state, flow);
                }));
        });
    }

    private static void Inspect(Action<Diagnostic> report, HashSet<(FlowState, int, object)> reported, IOperation operation, FlowState state, FlowContext flow)
    {
        var instance = NullStates.DereferencedValue(operation);
        if (instance is null || instance.WalkDownConversions() is IInstanceReferenceOperation || instance.Type is { IsValueType: true })
        {
            return;
        }

        if (NullStates.Of(instance, state, flow) is not { Untrusted: true, Lower: 0 } nullState || !Evaluator.Eval(instance, state, flow).Untrusted)
        {
            return;
        }

        var location = instance.Syntax.GetLocation();
        if (!reported.Add((state, state.Version, NullStates.PathOf(instance) ?? location)))
        {
            return;
        }

        // A foreach reads its collection through a hidden GetEnumerator call: name the loop, not the call.
        var use = operation is IInvocationOperation { TargetMethod.Name: "GetEnumerator", IsImplicit: true } ? $"foreach over {instance.Describe()}" : operation.Describe();
        report(Diagnostic.Create(Descriptors.UncheckedDeserializedMember, location, instance.Describe(), nullState.Origin, use));
    }
}
