using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1011: a type name the flow engine says is untrusted reaching a call that resolves or creates a type by name
/// (<c>Type.GetType</c>, <c>Assembly.GetType</c>, <c>Activator.CreateInstance(assemblyName, typeName)</c>,
/// <c>AppDomain.CreateInstance*</c>), and an untrusted <c>Type</c> reaching <c>Activator.CreateInstance(Type)</c>. The sinks
/// are the catalog's <see cref="TrustRole.ResolveType"/> entries; an allow-list check of the name makes it trusted
/// (<see cref="AllowLists"/>). A type resolved and then created in the same method is reported once, at the resolution.
/// A call of one of the program's helpers that resolves what it is given (<see cref="TypeHelpers"/>) is a sink too, and a
/// call the runtime binder resolves because an argument is <c>dynamic</c> is matched by its receiver's type and member
/// name (<see cref="DynamicCalls"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContentTypeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ContentChosenType);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var trust = TrustModel.For(start.Compilation);
            FlowRules.Register(start, new FlowFamily(
                nameof(ContentTypeAnalyzer),
                operation => operation is IInvocationOperation invocation && (trust.Find(invocation.TargetMethod, TrustRole.ResolveType) is not null || TypeHelpers.MayResolve(invocation.TargetMethod, start.Compilation))
                    || (operation is IDynamicInvocationOperation dynamicCall
                        && (DynamicCalls.Find(dynamicCall, trust, TrustRole.ResolveType).Any() || DynamicCalls.Candidates(dynamicCall).Any(m => TypeHelpers.MayResolve(m, start.Compilation)))),
                null,
                report =>
                {
                    // The origins of the names this method resolved and reported: creating the type they gave is the same finding.
                    var resolved = new HashSet<string>(StringComparer.Ordinal);
                    return (operation, state, flow) => Inspect(report, resolved, operation, state, flow);
                }));
        });
    }

    private static void Inspect(Action<Diagnostic> report, HashSet<string> resolved, IOperation operation, FlowState state, FlowContext flow)
    {
        if (operation is IDynamicInvocationOperation dynamicCall)
        {
            // serializer.Deserialize(token) with a dynamic token: a helper among the methods the binder may pick.
            foreach (var candidate in DynamicCalls.Candidates(dynamicCall))
            {
                if (TypeHelpers.Find(candidate, flow.Summaries, flow.CancellationToken) is { } helper
                    && candidate.Parameters.FirstOrDefault(p => p.Name == helper.Parameter) is { } parameter)
                {
                    InspectHelper(report, resolved, dynamicCall, DynamicCalls.Argument(dynamicCall, parameter), helper, state, flow);
                    return;
                }
            }

            // Type.GetType(document.TypeObject) with a dynamic argument: the overloads the binder may pick, by position.
            foreach (var match in DynamicCalls.Find(dynamicCall, flow.Trust, TrustRole.ResolveType))
            {
                if (InspectSink(report, resolved, dynamicCall, match.Entry, match.Value, match.Parameter.Type.SpecialType == SpecialType.System_String, state, flow))
                {
                    return;
                }
            }

            return;
        }

        if (operation is not IInvocationOperation invocation)
        {
            return;
        }

        if (TypeHelpers.Find(invocation.TargetMethod, flow.Summaries, flow.CancellationToken) is { } reach)
        {
            InspectHelper(report, resolved, invocation, invocation.Arguments.Argument(reach.Parameter)?.Value, reach, state, flow);
            return;
        }

        foreach (var entry in flow.Trust.FindAll(invocation.TargetMethod, TrustRole.ResolveType))
        {
            if (TrustEntry.Argument(invocation, entry.Data) is { } value
                && InspectSink(report, resolved, invocation, entry, value, value.Type?.SpecialType == SpecialType.System_String, state, flow))
            {
                return;
            }
        }
    }

    /// <summary>One catalogued resolution: reported when its name (or type) is untrusted; true when the call is done with (reported or quiet).</summary>
    private static bool InspectSink(Action<Diagnostic> report, HashSet<string> resolved, IOperation call, TrustEntry entry, IOperation value, bool isName, FlowState state, FlowContext flow)
    {
        if (FlowRules.Untrusted(value, state, flow) is not { } fact)
        {
            return false;
        }

        if (!isName && (IsResolution(value, flow) || (fact.Origin is { } origin && resolved.Contains(origin))))
        {
            // Activator.CreateInstance(Type.GetType(name)), or of a type an earlier statement resolved: reported there.
            return false;
        }

        if (IsQuiet(call, fact, resolved, flow))
        {
            return true;
        }

        if (isName && fact.Origin is not null)
        {
            resolved.Add(fact.Origin);
        }

        var what = isName ? $"Type name '{value.Describe()}'" : $"Type '{value.Describe()}'";
        report(Diagnostic.Create(Descriptors.ContentChosenType, call.Syntax.GetLocation(), what, fact.Origin, call.Describe(), entry.Note));
        return true;
    }

    /// <summary>A call of a helper that resolves the name it is given (<c>binder.GetType(name)</c>): the call resolves its argument.</summary>
    private static void InspectHelper(Action<Diagnostic> report, HashSet<string> resolved, IOperation invocation, IOperation? value, HelperSinks.Reach reach, FlowState state, FlowContext flow)
    {
        if (value is null || FlowRules.Untrusted(value, state, flow) is not { } fact)
        {
            return;
        }

        if (IsQuiet(invocation, fact, resolved, flow))
        {
            return;
        }

        if (fact.Origin is not null)
        {
            resolved.Add(fact.Origin);
        }

        var inner = reach.Method is { } method ? flow.Trust.Find(method, TrustRole.ResolveType)?.Note : null;
        var note = $"passes it to '{reach.Sink.Describe()}', which {inner ?? "resolves the type the name names"}";
        var locations = reach.Chain.Select(c => c.Syntax.GetLocation()).Append(reach.Sink.Syntax.GetLocation());
        report(Diagnostic.Create(Descriptors.ContentChosenType, invocation.Syntax.GetLocation(), locations, $"Type name '{value.Describe()}'", fact.Origin, invocation.Describe(), note));
    }

    /// <summary>
    /// A resolution the library retired (in an <c>[Obsolete]</c> type none of its code creates), or whose result is checked
    /// against the program's names before any use (<c>if (type.FullName == "...") throw ...;</c>). Creating the type it
    /// resolved is not a finding either.
    /// </summary>
    private static bool IsQuiet(IOperation invocation, ValueFact fact, HashSet<string> resolved, FlowContext flow)
    {
        if (!Retired.Is(invocation, flow) && !ResolvedTypes.CheckedAfter(invocation, flow.Model))
        {
            return false;
        }

        if (fact.Origin is not null)
        {
            resolved.Add(fact.Origin);
        }

        return true;
    }

    /// <summary>A type resolved by name right there: a catalogued resolution, or a helper that resolves the name it is given (reported, or checked, at that call).</summary>
    private static bool IsResolution(IOperation value, FlowContext flow) => flow.Resolve(value.WalkDownConversions()).WalkDownConversions() switch
    {
        IInvocationOperation inner => flow.Trust.Find(inner.TargetMethod, TrustRole.ResolveType) is not null || TypeHelpers.Resolves(inner.TargetMethod, flow.Summaries, flow.CancellationToken),
        IDynamicInvocationOperation inner => DynamicCalls.Find(inner, flow.Trust, TrustRole.ResolveType).Any(),
        _ => false,
    };
}
