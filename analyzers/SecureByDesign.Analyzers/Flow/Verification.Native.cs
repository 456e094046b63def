using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// Native verifiers (<see cref="TrustCatalog.NativeVerifiers"/>): <c>WinVerifyTrust</c> declared by the program. Its data
/// is a pointer to a structure that points to another that names the file, so the values it verifies are those the
/// pointer was made from, in the same method: locals' values, members set in initializers or by assignment, and the
/// structure <c>Marshal.StructureToPtr(structure, pointer, ...)</c> copied into a pointer. Its result proves something
/// only where it was compared with the success code: <c>WinVerifyTrust(...) == 0</c>, or a local (or out parameter)
/// that holds nothing but such a result.
/// </summary>
internal static partial class Verification
{
    private const int MaxMadeFrom = 32;

    /// <summary>Per body: whether it calls a native verifier (<see cref="CallsNative"/>).</summary>
    private static readonly PerBody<StrongBox<bool>> NativeCalls = new(root =>
        new(root.DescendantsAndSelf().Any(o => o is IInvocationOperation call && NativeVerifier(call.TargetMethod) is not null)));

    /// <summary>What a program must spell to declare a native verifier: its import attribute (<see cref="NativeVerifier"/>).</summary>
    private static readonly string[] NativeImports = { "DllImport", "DllImportAttribute", "LibraryImport", "LibraryImportAttribute" };

    /// <summary>The catalog's native verifier this method is (by library and entry point), or null.</summary>
    public static (string Library, string Function, int Data, int Success, string Note)? NativeVerifier(IMethodSymbol method)
    {
        if (!method.IsStatic || method.DeclaringSyntaxReferences.IsEmpty && !method.IsExtern)
        {
            return null;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is not ("DllImportAttribute" or "LibraryImportAttribute")
                || attribute.ConstructorArguments.Length == 0 || attribute.ConstructorArguments[0].Value is not string library)
            {
                continue;
            }

            var entryPoint = attribute.NamedArguments.FirstOrDefault(a => a.Key == "EntryPoint").Value.Value as string ?? method.Name;
            library = library.Trim();
            library = library.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? library.Substring(0, library.Length - 4) : library;
            foreach (var native in TrustCatalog.NativeVerifiers)
            {
                if (string.Equals(native.Library, library, StringComparison.OrdinalIgnoreCase) && native.Function == entryPoint && native.Data < method.Parameters.Length)
                {
                    return native;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The values a comparison proves verified where it holds (<paramref name="whenEqual"/>: the comparison is
    /// <c>==</c>, so where it is true; <c>!=</c>, where it is false): a native verifier's result against its success code.
    /// </summary>
    public static ImmutableArray<IOperation> NativeProven(IBinaryOperation comparison, out bool whenEqual)
    {
        whenEqual = comparison.OperatorKind == BinaryOperatorKind.Equals;
        if (comparison.OperatorKind is not (BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals) || !CallsNative(comparison.Root()))
        {
            return ImmutableArray<IOperation>.Empty;
        }

        foreach (var (result, code) in new[] { (comparison.LeftOperand, comparison.RightOperand), (comparison.RightOperand, comparison.LeftOperand) })
        {
            if (code.ConstantValue is { HasValue: true, Value: { } value } && IsInteger(value, out var number))
            {
                foreach (var call in NativeResults(result))
                {
                    if (NativeVerifier(call.TargetMethod) is { } native && native.Success == number)
                    {
                        return MadeFrom(call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == native.Data)?.Value);
                    }
                }
            }
        }

        return ImmutableArray<IOperation>.Empty;
    }

    /// <summary>
    /// Whether a body calls a native verifier at all: asked once per body, not once per comparison (each of which would
    /// otherwise walk the body for the values a local is given), and not at all in a compilation whose source spells no
    /// import attribute (a method read from metadata never shows its import as an attribute).
    /// </summary>
    private static bool CallsNative(IOperation root) =>
        (root.SemanticModel?.Compilation is not { } compilation || SpelledNames.For(compilation).Any(NativeImports, CancellationToken.None))
        && NativeCalls.Of(root).Value;

    /// <summary>The native verifier calls a value is the result of: the call itself, or every value a local or out parameter is given in its body.</summary>
    private static IEnumerable<IInvocationOperation> NativeResults(IOperation result)
    {
        result = result.WalkDownConversions();
        if (result is IInvocationOperation call)
        {
            return NativeVerifier(call.TargetMethod) is null ? Enumerable.Empty<IInvocationOperation>() : new[] { call };
        }

        var symbol = result switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.Out } parameter => parameter.Parameter,
            _ => null,
        };
        if (symbol is null)
        {
            return Enumerable.Empty<IInvocationOperation>();
        }

        var values = ValuesGiven(symbol, result.Root()).ToList();
        var calls = values.Select(v => v.WalkDownConversions()).OfType<IInvocationOperation>().Where(c => NativeVerifier(c.TargetMethod) is not null).ToList();
        return calls.Count > 0 && calls.Count == values.Count ? calls : Enumerable.Empty<IInvocationOperation>();
    }

    /// <summary>
    /// The locals, parameters and fields a value is made from in its body: through the values locals are given, the
    /// members set on them (in an initializer or by assignment) and the structures marshalled into a pointer.
    /// </summary>
    private static ImmutableArray<IOperation> MadeFrom(IOperation? value)
    {
        if (value is null)
        {
            return ImmutableArray<IOperation>.Empty;
        }

        var root = value.Root();
        var found = ImmutableArray.CreateBuilder<IOperation>();
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var pending = new Queue<IOperation>();
        pending.Enqueue(value);
        while (pending.Count > 0 && found.Count < MaxMadeFrom)
        {
            foreach (var operation in pending.Dequeue().DescendantsAndSelf())
            {
                if (operation is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
                    || operation.Parent is IMemberReferenceOperation owner && owner.Instance == operation)
                {
                    continue;
                }

                found.Add(operation);
                if (operation is ILocalReferenceOperation local && seen.Add(local.Local))
                {
                    foreach (var given in ValuesGiven(local.Local, root).Concat(MembersSet(local.Local, root)).Concat(Marshalled(local.Local, root)))
                    {
                        pending.Enqueue(given);
                    }
                }
            }
        }

        return found.ToImmutable();
    }

    /// <summary>The values a local or parameter is given in a body: its initializer and what is assigned to it.</summary>
    private static IEnumerable<IOperation> ValuesGiven(ISymbol symbol, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, symbol) && declarator.GetVariableInitializer() is { } initializer:
                    yield return initializer.Value;
                    break;
                case ISimpleAssignmentOperation assignment when Refers(assignment.Target, symbol):
                    yield return assignment.Value;
                    break;
            }
        }
    }

    /// <summary>The values set on a local's members: <c>new T { Member = value }</c> given to it, and <c>local.Member = value</c>.</summary>
    private static IEnumerable<IOperation> MembersSet(ILocalSymbol local, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: { } instance } } assignment && Refers(instance, local))
            {
                yield return assignment.Value;
            }
        }
    }

    /// <summary>The structures copied into a pointer: <c>Marshal.StructureToPtr(structure, pointer, ...)</c>.</summary>
    private static IEnumerable<IOperation> Marshalled(ILocalSymbol pointer, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: "StructureToPtr", ContainingType.Name: "Marshal" } } copy
                && copy.Arguments.Argument("ptr") is { } target && Refers(target.Value, pointer)
                && copy.Arguments.Argument("structure") is { } structure)
            {
                yield return structure.Value;
            }
        }
    }

    private static bool Refers(IOperation operation, ISymbol symbol) => operation.WalkDownConversions() switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
        _ => false,
    };

    private static bool IsInteger(object value, out long number)
    {
        switch (value)
        {
            case int i: number = i; return true;
            case uint u: number = u; return true;
            case long l: number = l; return true;
            case short s: number = s; return true;
            default: number = 0; return false;
        }
    }
}
