using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Verifiers the program writes itself: a method of the compilation that returns <c>bool</c> and returns anything but
/// <c>false</c> only where a verification of a parameter held. Each <c>return</c> must give <c>false</c>, or a verdict on
/// the parameter (a verifier's result, <c>WinVerifyTrust(...) == 0</c>, either side of <c>&amp;&amp;</c>), or come after a
/// guard that leaves the method when the verdict is bad (<c>if (!HasValidSignature(path)) return false;</c>), or sit in
/// the branch where the verdict is good. A verifier's verdict counts through such methods up to
/// <see cref="MaxDerivedDepth"/> calls deep. The parameters so verified are the data of a call of the method.
/// </summary>
internal static partial class Verification
{
    private const int MaxDerivedDepth = 3;
    private const int MaxDerivedOperations = 3000;

    /// <summary>
    /// Per compilation, by method and by the options of its own tree (a second set of analyzer options for the same
    /// compilation gets its own entries), so the answer does not depend on which tree asked first.
    /// </summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<(IMethodSymbol Method, TrustOptions Options), ImmutableArray<int>>> DerivedCache = new();

    /// <summary>
    /// The ordinals of the parameters a method of the compilation verifies where it returns true; empty when it verifies
    /// none. Each method is read with the options of its own tree (<paramref name="optionsOf"/>), as a summary is.
    /// </summary>
    public static ImmutableArray<int> DerivedVerified(IMethodSymbol method, TrustModel trust, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation? compilation) =>
        DerivedVerified(method.OriginalDefinition, trust, optionsOf, compilation, 0);

    private static ImmutableArray<int> DerivedVerified(IMethodSymbol method, TrustModel trust, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation? compilation, int depth)
    {
        if (compilation is null || depth >= MaxDerivedDepth || method.ReturnType.SpecialType != SpecialType.System_Boolean
            || method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract || method.IsExtern || method.Parameters.IsEmpty
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return ImmutableArray<int>.Empty;
        }

        var options = optionsOf(method);
        return depth == 0
            ? DerivedCache.GetValue(compilation, _ => new(DerivedKeyComparer.Instance)).GetOrAdd((method, options), key => Derive(key.Method, trust, key.Options, optionsOf, compilation, depth))
            : Derive(method, trust, options, optionsOf, compilation, depth);
    }

    private static ImmutableArray<int> Derive(IMethodSymbol method, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation compilation, int depth)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return ImmutableArray<int>.Empty;
        }

#pragma warning disable RS1030 // A callee's body is read once per method and compilation.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        if (body is null || body.Descendants().Skip(MaxDerivedOperations).Any())
        {
            return ImmutableArray<int>.Empty;
        }

        // A method that only ever returns false (a base lookup, virtual bool TryLookup(...) { ...; return false; }) gives no verdict.
        var returns = body.Descendants().OfType<IReturnOperation>().Where(r => r.ReturnedValue is not null && OwnedBy(r, body)).ToList();
        if (returns.All(r => r.ReturnedValue!.ConstantValue is { HasValue: true, Value: false }))
        {
            return ImmutableArray<int>.Empty;
        }

        var verified = ImmutableArray.CreateBuilder<int>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.None
                && returns.All(r => r.ReturnedValue!.ConstantValue is { HasValue: true, Value: false }
                    || Proves(r.ReturnedValue!, parameter, trust, options, optionsOf, compilation, depth)
                    || Guarded(r, body, parameter, trust, options, optionsOf, compilation, depth)))
            {
                verified.Add(parameter.Ordinal);
            }
        }

        return verified.ToImmutable();
    }

    /// <summary>True when the return belongs to the body itself, not to a lambda or local function in it.</summary>
    private static bool OwnedBy(IOperation operation, IOperation body)
    {
        for (var current = operation.Parent; current is not null && current != body; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a bool value is true only where the parameter was verified.</summary>
    private static bool Proves(IOperation value, IParameterSymbol parameter, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation compilation, int depth)
    {
        switch (value.WalkDownConversions())
        {
            case IParenthesizedOperation parenthesized:
                return Proves(parenthesized.Operand, parameter, trust, options, optionsOf, compilation, depth);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } conjunction:
                return Proves(conjunction.LeftOperand, parameter, trust, options, optionsOf, compilation, depth) || Proves(conjunction.RightOperand, parameter, trust, options, optionsOf, compilation, depth);
            case IBinaryOperation comparison:
                return NativeProven(comparison, out var whenEqual) is { IsEmpty: false } proven && whenEqual && proven.Any(p => Refers(p, parameter));
            case IInvocationOperation call:
                return VerifiedArguments(call, trust, options, optionsOf, compilation, depth).Any(a => Refers(a, parameter));
            default:
                return false;
        }
    }

    /// <summary>True when a bool value is false only where the parameter was verified: the negation of a verdict, or a failed native result.</summary>
    private static bool Fails(IOperation value, IParameterSymbol parameter, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation compilation, int depth)
    {
        switch (value.WalkDownConversions())
        {
            case IParenthesizedOperation parenthesized:
                return Fails(parenthesized.Operand, parameter, trust, options, optionsOf, compilation, depth);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                return Proves(negation.Operand, parameter, trust, options, optionsOf, compilation, depth);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or } disjunction:
                return Fails(disjunction.LeftOperand, parameter, trust, options, optionsOf, compilation, depth) || Fails(disjunction.RightOperand, parameter, trust, options, optionsOf, compilation, depth);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } test when test.RightOperand.ConstantValue is { HasValue: true, Value: false }:
                return Proves(test.LeftOperand, parameter, trust, options, optionsOf, compilation, depth);
            case IBinaryOperation comparison:
                return NativeProven(comparison, out var whenEqual) is { IsEmpty: false } proven && !whenEqual && proven.Any(p => Refers(p, parameter));
            default:
                return false;
        }
    }

    /// <summary>The arguments a verifier call verifies where it returns true (catalogued, annotated, configured or derived).</summary>
    private static IEnumerable<IOperation> VerifiedArguments(IInvocationOperation call, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation compilation, int depth)
    {
        var method = call.TargetMethod;
        if (method.ReturnType.SpecialType != SpecialType.System_Boolean)
        {
            return Enumerable.Empty<IOperation>();
        }

        var entry = trust.Find(method, TrustRole.Verifier);
        if (entry is not null || Annotations.Has(method, Annotations.UpdateVerifier) || options.IsConfiguredVerifier(method))
        {
            return entry?.Data is { } data && data != TrustEntry.Receiver
                ? (TrustEntry.Argument(call, data) is { } argument ? new[] { argument } : Enumerable.Empty<IOperation>())
                : call.Arguments.Where(a => a.Parameter?.RefKind is not RefKind.Out).Select(a => a.Value);
        }

        var ordinals = DerivedVerified(method.OriginalDefinition, trust, optionsOf, compilation, depth + 1);
        return call.Arguments.Where(a => a.Parameter is { } p && ordinals.Contains(p.Ordinal)).Select(a => a.Value);
    }

    /// <summary>
    /// True when the return can only be reached where the parameter was verified: after a guard that leaves the method
    /// when the verdict is bad, in a block that encloses the return, or inside the branch where the verdict is good.
    /// </summary>
    private static bool Guarded(IReturnOperation ret, IOperation body, IParameterSymbol parameter, TrustModel trust, TrustOptions options, Func<IMethodSymbol, TrustOptions> optionsOf, Compilation compilation, int depth)
    {
        IOperation current = ret;
        while (current.Parent is { } parent && current != body)
        {
            if (parent is IBlockOperation block)
            {
                foreach (var before in block.Operations.TakeWhile(o => o != current))
                {
                    if (before is IConditionalOperation { WhenFalse: null } guard && Leaves(guard.WhenTrue) && Fails(guard.Condition, parameter, trust, options, optionsOf, compilation, depth))
                    {
                        return true;
                    }
                }
            }
            else if (parent is IConditionalOperation branch && branch.WhenTrue == current && Proves(branch.Condition, parameter, trust, options, optionsOf, compilation, depth))
            {
                return true;
            }
            else if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            current = parent;
        }

        return false;
    }

    /// <summary>True when a branch always leaves the method without success: it returns false or throws, last thing.</summary>
    private static bool Leaves(IOperation branch) => branch switch
    {
        IBlockOperation block => block.Operations.LastOrDefault() is { } last && Leaves(last),
        IReturnOperation { ReturnedValue.ConstantValue: { HasValue: true, Value: false } } => true,
        IThrowOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        _ => false,
    };

    private sealed class DerivedKeyComparer : IEqualityComparer<(IMethodSymbol Method, TrustOptions Options)>
    {
        public static readonly DerivedKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, TrustOptions Options) x, (IMethodSymbol Method, TrustOptions Options) y) =>
            ReferenceEquals(x.Options, y.Options) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, TrustOptions Options) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Options);
    }
}
