using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>var count = (int)reader.ReadUInt16(); return new Header(count);</c> with <c>private Header(int count) =&gt; Count =
/// count;</c>: a get-only auto-property (or read-only field) of a type of the compilation that only private
/// constructors store, each from one of its parameters as given, holds no more than every construction of the type
/// passes it. A value passed is bounded by the type it was read as: a narrower integer (<c>byte</c>, <c>ushort</c>,
/// <c>short</c>, <c>sbyte</c>, <c>char</c>) widened, directly or through a local that holds one value, or a constant. The
/// constructions are those inside the type's own declarations (the constructors are private); any construction the
/// type's members do not show (a field initializer, a nested type) leaves the range unknown. A struct's
/// <c>default</c> adds 0. Cached per compilation.
/// </summary>
internal static class StoredRanges
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<ISymbol, ValueFact?>> Cache = new();

    /// <summary>The range every construction of the member's type stores in it; null when not known or no better than its type.</summary>
    public static ValueFact? Of(ISymbol member, FlowContext context)
    {
        if (context.Compilation is not { } compilation || member.IsStatic || member.ContainingType is not { } owner
            || !SymbolEqualityComparer.Default.Equals(owner.ContainingAssembly, compilation.Assembly)
            || member switch
            {
                IPropertySymbol property => property.SetMethod is not null || !FlowKey.IsStoredOnce(property),
                IFieldSymbol field => !field.IsReadOnly,
                _ => true,
            })
        {
            return null;
        }

        return Cache.GetValue(compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(member.OriginalDefinition, m => Read(m, m.ContainingType, context));
    }

    private static ValueFact? Read(ISymbol member, INamedTypeSymbol owner, FlowContext context)
    {
        // Which parameter each constructor stores, as given; a constructor that stores anything else, or chains, ends it.
        var stored = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var constructor in owner.InstanceConstructors.Where(c => !c.IsImplicitlyDeclared))
        {
            if (constructor.DeclaredAccessibility != Accessibility.Private
                || context.Summaries.Body(constructor, context.CancellationToken) is not IConstructorBodyOperation { Initializer: null } body
                || Stored(member, body) is not { } ordinal)
            {
                return null;
            }

            stored[constructor] = ordinal;
        }

        if (stored.Count == 0 || (owner.IsValueType && Reinterpretable(owner, context)) || !AllConstructionsSeen(owner, context, out var creations))
        {
            return null;
        }

        long? lower = owner.IsValueType ? 0 : null;
        long? upper = lower;
        foreach (var creation in creations)
        {
            if (creation.Constructor is not { } constructor || !stored.TryGetValue(constructor.OriginalDefinition, out var ordinal)
                || creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal) is not { } argument
                || Bounds(argument.Value, context) is not var (low, high))
            {
                return null;
            }

            lower = lower is { } l ? Math.Min(l, low) : low;
            upper = upper is { } u ? Math.Max(u, high) : high;
        }

        return lower is { } least && upper is { } most ? ValueFact.Range(least, most) : null;
    }

    private static readonly ConditionalWeakTable<Compilation, HashSet<string>> TypeArguments = new();

    /// <summary>
    /// A struct some code may make from raw memory without a constructor (<c>MemoryMarshal.Read&lt;Header&gt;(bytes)</c>,
    /// <c>Unsafe.As</c>, <c>Header*</c>): its name is written as a type argument or a pointer's type anywhere in the compilation.
    /// </summary>
    private static bool Reinterpretable(INamedTypeSymbol owner, FlowContext context) =>
        context.Compilation is not { } compilation || TypeArguments.GetValue(compilation, c =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in c.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot(context.CancellationToken).DescendantNodes())
                {
                    var named = node switch
                    {
                        TypeArgumentListSyntax list => list.Arguments,
                        PointerTypeSyntax pointer => new SeparatedSyntaxList<TypeSyntax>().Add(pointer.ElementType),
                        _ => default,
                    };
                    foreach (var type in named)
                    {
                        names.Add(type is QualifiedNameSyntax qualified ? qualified.Right.Identifier.ValueText : type is SimpleNameSyntax simple ? simple.Identifier.ValueText : type.ToString());
                    }
                }
            }

            return names;
        }).Contains(owner.Name);

    /// <summary>The ordinal of the parameter the constructor stores in the member, its one store; null for any other store.</summary>
    private static int? Stored(ISymbol member, IOperation body)
    {
        int? ordinal = null;
        foreach (var assignment in body.Descendants().OfType<IAssignmentOperation>())
        {
            var target = assignment.Target switch
            {
                IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } property => (ISymbol)property.Property,
                IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field => field.Field,
                _ => null,
            };
            if (!SymbolEqualityComparer.Default.Equals(target?.OriginalDefinition, member))
            {
                continue;
            }

            if (ordinal is not null || assignment is not ISimpleAssignmentOperation { Value: var value }
                || value.WalkDownConversions() is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter }
                || value is IConversionOperation { IsImplicit: false }
                || body.Descendants().Any(o => o is IAssignmentOperation { Target: IParameterReferenceOperation written } && SymbolEqualityComparer.Default.Equals(written.Parameter, parameter)))
            {
                return null;
            }

            ordinal = parameter.Ordinal;
        }

        return ordinal;
    }

    /// <summary>The constructions of the type in its own members, when they are all the type's declarations hold.</summary>
    private static bool AllConstructionsSeen(INamedTypeSymbol owner, FlowContext context, out List<IObjectCreationOperation> creations)
    {
        creations = new();
        var written = 0;
        foreach (var reference in owner.DeclaringSyntaxReferences)
        {
            written += reference.GetSyntax(context.CancellationToken).DescendantNodes().Count(n => n is BaseObjectCreationExpressionSyntax);
        }

        var seen = 0;
        foreach (var method in owner.GetMembers().OfType<IMethodSymbol>().Where(m => !m.IsImplicitlyDeclared))
        {
            if (method.DeclaringSyntaxReferences.IsEmpty)
            {
                continue;
            }

            if (context.Summaries.Body(method, context.CancellationToken) is not { } body)
            {
                // get; of an auto-property has no body to hold a construction.
                if (method.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is AccessorDeclarationSyntax { Body: null, ExpressionBody: null })
                {
                    continue;
                }

                return false;
            }

            var found = body.Descendants().OfType<IObjectCreationOperation>().Where(c => c.Syntax is BaseObjectCreationExpressionSyntax).ToList();
            seen += found.Count;
            creations.AddRange(found.Where(c => SymbolEqualityComparer.Default.Equals(c.Type?.OriginalDefinition, owner)));
        }

        return seen == written;
    }

    /// <summary>The bounds of a value its type proves: a narrower integer widened (through a local holding one value), or a constant.</summary>
    private static (long, long)? Bounds(IOperation value, FlowContext context)
    {
        for (var depth = 0; depth < 3; depth++)
        {
            if (value.ConstantValue is { HasValue: true, Value: { } constant } && Evaluator.TryGetInteger(constant, out var number))
            {
                return (number, number);
            }

            // (int)reader.ReadUInt16(): the widest integer the conversions pass through is the narrowest the value fits.
            var inner = value;
            while (inner is IConversionOperation { Operand: var operand } conversion && Widens(operand.Type, conversion.Type))
            {
                inner = operand;
            }

            if (inner.Type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char
                && TaintSources.RangeOf(inner.Type) is ({ } low, { } high))
            {
                return (low, high);
            }

            if (inner is not ILocalReferenceOperation { Local: var local } || context.Compilation is not { } compilation
                || Initializers.ValueOf(local, compilation, inner.SemanticModel) is not { } initial)
            {
                return null;
            }

            value = initial;
        }

        return null;
    }

    /// <summary>A conversion that keeps every value: a narrower integer to a wider one of a sign that holds it.</summary>
    private static bool Widens(ITypeSymbol? from, ITypeSymbol? to) =>
        TaintSources.RangeOf(from) is ({ } fromLow, { } fromHigh) && TaintSources.RangeOf(to) is ({ } toLow, { } toHigh)
        && from!.SpecialType != SpecialType.None && to!.SpecialType != SpecialType.None && toLow <= fromLow && fromHigh <= toHigh;
}
