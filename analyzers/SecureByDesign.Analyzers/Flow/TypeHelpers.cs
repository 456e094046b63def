using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Resolutions of a type by name (SBD1011) inside the compilation's helpers: a method that passes one of its string
/// parameters, as it was given or computed from it (decoded, parsed, a member of the parsed <c>dynamic</c> document:
/// <see cref="DerivedParameters"/>), to a catalogued resolution (<c>Type.GetType(name)</c>, bound at compile time or by the
/// runtime binder: <see cref="DynamicCalls"/>), or to another such helper a few calls deep, and checks no name itself; an interface or abstract method whose implementation in the compilation does
/// (a type-name binder whose default resolves the name). A call of the helper resolves its argument, so the check is the
/// caller's. A helper checks the name when it compares it (or a value computed from it: <c>name.Trim().ToLowerInvariant()</c>)
/// in the condition of an <c>if</c> that throws or returns: membership or equality with the program's names, an allow list
/// or a deny list (<see cref="IsNameCheck"/>).
/// </summary>
internal static class TypeHelpers
{
    private static readonly HelperSinks Helpers = new(
        DirectResolve,
        parameter => parameter.Type.SpecialType == SpecialType.System_String,
        (method, _, summaries) => Annotations.IsValidator(method, summaries.OptionsOf(method)),
        ChecksName,
        throughConstantArithmetic: false,
        throughImplementations: true,
        throughDerived: true);

    /// <summary>The same helpers, checked or not: what tells a type a helper resolved from a name from any other.</summary>
    private static readonly HelperSinks Resolving = new(
        DirectResolve,
        parameter => parameter.Type.SpecialType == SpecialType.System_String,
        (_, _, _) => false,
        (_, _) => false,
        throughConstantArithmetic: false,
        throughImplementations: true,
        throughDerived: true);

    /// <summary>True when the method resolves a name it is given, whether it checks the name or not.</summary>
    public static bool Resolves(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken) =>
        Resolving.MayBeHelper(method.OriginalDefinition) && !Resolving.Find(method, summaries, cancellationToken).IsEmpty;

    /// <summary>
    /// True when the method may resolve a name through a helper (a cheap test, for what the rule needs to see): it has a
    /// string parameter, and the compilation's source calls a resolution by name with arguments somewhere
    /// (<c>GetType(...)</c> or <c>CreateInstance*(...)</c>; read from the tokens once per compilation, <see cref="SpelledNames"/>).
    /// </summary>
    public static bool MayResolve(IMethodSymbol method, Compilation compilation) =>
        Helpers.MayBeHelper(method.OriginalDefinition)
        && SpelledNames.For(compilation).AnyCalledWithArguments(ResolutionNames, CancellationToken.None);

    private static readonly string[] ResolutionNames = { "GetType", "CreateInstance", "CreateInstanceFrom", "CreateInstanceAndUnwrap", "CreateInstanceFromAndUnwrap" };

    /// <summary>The first parameter of a helper that reaches a resolution unchecked, with the resolution; null for any other method.</summary>
    public static HelperSinks.Reach? Find(IMethodSymbol method, MethodSummaries summaries, CancellationToken cancellationToken) =>
        summaries.Trust.Find(method, TrustRole.ResolveType) is null ? Helpers.Find(method, summaries, cancellationToken).FirstOrDefault() : null;

    private static HelperSinks.DirectSink? DirectResolve(IOperation operation, TrustModel trust)
    {
        if (operation is IDynamicInvocationOperation dynamicCall)
        {
            // Type.GetType(document.TypeObject): the name is dynamic, the overload the binder picks takes a string.
            return DynamicCalls.Find(dynamicCall, trust, TrustRole.ResolveType).FirstOrDefault(m => m.Parameter.Type.SpecialType == SpecialType.System_String) is { } match
                ? new HelperSinks.DirectSink(match.Value, dynamicCall, (IMethodSymbol)match.Parameter.ContainingSymbol)
                : null;
        }

        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        foreach (var entry in trust.FindAll(invocation.TargetMethod, TrustRole.ResolveType))
        {
            if (TrustEntry.Argument(invocation, entry.Data) is { Type.SpecialType: SpecialType.System_String } value)
            {
                return new HelperSinks.DirectSink(value, invocation, invocation.TargetMethod);
            }
        }

        return null;
    }

    /// <summary>The parameter, or a local computed from it, is compared in the condition of an <c>if</c> that throws or returns.</summary>
    private static bool ChecksName(IParameterSymbol parameter, IReadOnlyList<IOperation> operations)
    {
        var names = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { parameter };
        foreach (var operation in operations)
        {
            if (operation is IVariableDeclaratorOperation { Initializer.Value: { } value } declarator && Mentions(value, names))
            {
                names.Add(declarator.Symbol);
            }
        }

        // A lookup in a cache the helper fills with the name is no check (Caches).
        return operations.OfType<IConditionalOperation>().Any(branch => Exits(branch.WhenTrue)
            && branch.Condition.DescendantsAndSelf().Any(c => IsNameCheck(c, names) && !Caches.IsLookup(c, names, operations)));
    }

    /// <summary>
    /// A comparison of a name with the program's own: <c>Equals</c>, <c>StartsWith</c>, <c>EndsWith</c>, <c>Contains</c>,
    /// <c>ContainsKey</c>, <c>TryGetValue</c> or <c>==</c>/<c>!=</c>, with one of the names (or a resolved type's
    /// <c>FullName</c>, <c>Name</c>, <c>AssemblyQualifiedName</c> or <c>Namespace</c>) on one side.
    /// </summary>
    public static bool IsNameCheck(IOperation operation, ISet<ISymbol> names) => operation switch
    {
        IInvocationOperation { TargetMethod.Name: "Equals" or "StartsWith" or "EndsWith" or "Contains" or "ContainsKey" or "TryGetValue" } call =>
            (call.Instance is { } instance && IsName(instance, names)) || call.Arguments.Any(a => IsName(a.Value, names)),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison =>
            (IsName(comparison.LeftOperand, names) && !IsNull(comparison.RightOperand)) || (IsName(comparison.RightOperand, names) && !IsNull(comparison.LeftOperand)),
        _ => false,
    };

    private static bool IsNull(IOperation operation) => operation.WalkDownConversions().ConstantValue is { HasValue: true, Value: null };

    private static bool IsName(IOperation operation, ISet<ISymbol> names) => operation.WalkDownConversions() switch
    {
        IParameterReferenceOperation parameter => names.Contains(parameter.Parameter),
        ILocalReferenceOperation local => names.Contains(local.Local),
        IPropertyReferenceOperation { Property.Name: "FullName" or "Name" or "AssemblyQualifiedName" or "Namespace", Instance: { } type } => IsName(type, names),
        _ => false,
    };

    private static bool Mentions(IOperation value, ISet<ISymbol> names) =>
        value.DescendantsAndSelf().Any(o => o switch
        {
            IParameterReferenceOperation parameter => names.Contains(parameter.Parameter),
            ILocalReferenceOperation local => names.Contains(local.Local),
            _ => false,
        });

    /// <summary>A branch that leaves: a throw or a return, directly or as its block's last statement.</summary>
    public static bool Exits(IOperation? branch) => branch switch
    {
        IThrowOperation or IReturnOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation { Operations.Length: > 0 } block => Exits(block.Operations[block.Operations.Length - 1]),
        _ => false,
    };
}
