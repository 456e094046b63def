using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Null state of object graphs deserialized from untrusted content. A deserializer returns null for the
/// content "null", and sets any reference-typed member to null when the content says so, whatever the
/// type declares. The state is kept as an ordinary <see cref="ValueFact"/> under a <see cref="FactKey"/> of
/// the value's storage, so that joins and widening treat it like any other fact:
/// <list type="bullet">
/// <item>its range is [1, 1] when the value is proven not null, [0, 0] or [0, 1] when it may be null;</item>
/// <item>it is untrusted, with the deserializing call as its origin, when the value is part of such a graph.</item>
/// </list>
/// Member paths (<c>config.Rules</c>) are tracked here even for properties, which <see cref="FlowKey"/> does not track.
/// </summary>
internal static partial class NullStates
{
    /// <summary>The key under which the null state of a storage location (a flow key or a member path) is kept.</summary>
    public static FactKey Key(object path) => new(FactKey.Null, path);

    private static readonly ValueFact NotNullFact = ValueFact.Constant(1);

    /// <summary>True for the calls that turn content into an object graph: System.Text.Json, Newtonsoft.Json, XmlSerializer.</summary>
    public static bool IsDeserializer(IMethodSymbol method, TrustModel trust) => trust.Find(method, TrustRole.Deserialize) is not null;

    /// <summary>The storage an operation names, following properties and fields: <c>config.Rules.Default</c>.</summary>
    public static object? PathOf(IOperation? operation)
    {
        operation = operation?.WalkDownConversions();
        if (FlowKey.Of(operation) is { } key)
        {
            return key;
        }

        return operation switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property when PathOf(instance) is { } owner => new FlowKey.MemberKey(owner, property.Property),
            IFieldReferenceOperation { Instance: { } instance } field when PathOf(instance) is { } owner => new FlowKey.MemberKey(owner, field.Field),
            _ => null,
        };
    }

    /// <summary>
    /// The storage a value names, seen through the temporaries of the control flow graph: <c>x ?? y</c>, <c>x ??= y</c> and
    /// <c>a.B = c ?? d</c> evaluate <c>x</c> or <c>a</c> into a flow capture first, whose syntax is still <c>x</c> or <c>a</c>.
    /// </summary>
    private static object? SourcePath(IOperation operation, FlowContext context)
    {
        operation = operation.WalkDownConversions();
        switch (operation)
        {
            case IFlowCaptureReferenceOperation capture:
                return Captures.Original(capture, context) is { } original ? PathOf(original) : null;
            case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property when SourcePath(instance, context) is { } owner:
                return new FlowKey.MemberKey(owner, property.Property);
            case IFieldReferenceOperation { Instance: { } instance } field when SourcePath(instance, context) is { } owner:
                return new FlowKey.MemberKey(owner, field.Field);
            default:
                return null;
        }
    }

    /// <summary>
    /// The null state of a value when it is part of a deserialized graph (or was assigned one), null when nothing is known.
    /// A fact that is not untrusted means the value was replaced by something that is not part of a graph.
    /// </summary>
    public static ValueFact? Of(IOperation? value, FlowState state, FlowContext context, int depth = 0)
    {
        value = value?.WalkDownConversions();
        if (value is null || depth > 16)
        {
            return null;
        }

        if (PathOf(value) is { } path && state[Key(path)] is { } known)
        {
            return known;
        }

        switch (value)
        {
            case IInvocationOperation invocation when IsDeserializer(invocation.TargetMethod, context.Trust):
                var input = Evaluator.Eval(invocation, state, context);
                // DeserializeAsync returns a task of the graph: what matters is the awaited value's type.
                var returned = invocation.TargetMethod.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } ? null : invocation.TargetMethod.ReturnType;
                return input.Untrusted ? Member(TaintSources.Describe(invocation.TargetMethod, invocation.Syntax), returned) : null;
            case IAwaitOperation awaited:
                return Of(awaited.Operation, state, context, depth + 1) is { Untrusted: true } result ? Member(result.Origin, awaited.Type) : null;
            case IInvocationOperation { TargetMethod.Name: "GetEnumerator", Instance: { } collection }:
                return Of(collection, state, context, depth + 1) is { Untrusted: true } graph ? graph.WithRange(1, 1) : null;
            case IPropertyReferenceOperation { Instance: { } owner } property:
                return Of(owner, state, context, depth + 1) is { Untrusted: true } ofProperty ? Member(ofProperty.Origin, property.Type) : null;
            case IFieldReferenceOperation { Instance: { } owner } field:
                return Of(owner, state, context, depth + 1) is { Untrusted: true } ofField ? Member(ofField.Origin, field.Type) : null;
            case IArrayElementReferenceOperation element:
                return Of(element.ArrayReference, state, context, depth + 1) is { Untrusted: true } ofArray ? Member(ofArray.Origin, element.Type) : null;
            default:
                return null;
        }
    }

    /// <summary>A part of a graph, from <paramref name="origin"/>: it may be null unless its type is a value type.</summary>
    private static ValueFact Member(string? origin, ITypeSymbol? type) =>
        ValueFact.Range(type is { IsValueType: true } ? 1 : 0, 1).WithUntrusted(true, origin);

    /// <summary>Stores a value in a flow key: the key's old null state and its members' go, the value's comes.</summary>
    public static FlowState Assign(object key, IOperation value, ValueFact fact, FlowState state, FlowContext context)
    {
        var nullState = Of(value, state, context);
        state = state.Assign(key, fact);
        return nullState is null ? state : state.Refine(Key(key), nullState);
    }

    /// <summary><c>config.Rules = new List&lt;Rule&gt;()</c>: the member path of a graph now holds what was assigned.</summary>
    public static FlowState AssignMember(ISimpleAssignmentOperation assignment, FlowState state, FlowContext context)
    {
        // The cheap questions first: most assignments are to members of objects that are not deserialized.
        if (FlowKey.Of(assignment.Target) is not null || Of(assignment.Target, state, context) is null || (SourcePath(assignment.Target, context) ?? PathOf(assignment.Target)) is not FlowKey.MemberKey path)
        {
            return state;
        }

        var assigned = Of(assignment.Value, state, context) ?? (assignment.Value.WalkDownConversions() is IObjectCreationOperation or IArrayCreationOperation ? NotNullFact : ValueFact.Unknown);
        state = state.RefineAll(
            static (key, written) => key is FactKey { Kind: FactKey.Null } nested && !FlowKey.Comparer.Equals(nested.Of, written) && FactKey.Rooted(nested.Of, written),
            path,
            ValueFact.Unknown);
        return state.Refine(Key(path), assigned);
    }

    /// <summary>After <c>x.Member</c>, <c>x[i]</c> or <c>x.Call()</c> ran, <c>x</c> was not null (or the statement threw).</summary>
    public static FlowState Dereferenced(IOperation operation, FlowState state, FlowContext context) =>
        DereferencedValue(operation) is { } instance ? MarkNotNull(instance, state, context) : state;

    /// <summary>
    /// The value an operation throws on when it is null: the instance of a member access, call or element access, and the
    /// source of a LINQ operator (<c>Enumerable</c> methods throw ArgumentNullException). Null for anything else.
    /// </summary>
    public static IOperation? DereferencedValue(IOperation operation) => operation switch
    {
        IPropertyReferenceOperation property => property.Instance,
        IFieldReferenceOperation field => field.Instance,
        IInvocationOperation { TargetMethod.IsStatic: false } invocation => invocation.Instance,
        IInvocationOperation { TargetMethod: { IsExtensionMethod: true, ContainingType.Name: "Enumerable" }, Arguments.Length: > 0 } linq => linq.Arguments[0].Value,
        IArrayElementReferenceOperation element => element.ArrayReference,
        _ => null,
    };

    private static bool IsNull(IOperation operation) =>
        operation.WalkDownConversions() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };
}
