using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A parsed document handed on to the compilation's own methods: a parameter typed as a framework collection of values of
/// any type (<c>Dictionary&lt;string, object&gt;</c>, <c>IDictionary&lt;string, object&gt;</c>, <c>List&lt;object&gt;</c>),
/// of a method no code outside the assembly can call (it, or a type around it, is private or internal), is content when a
/// call of the method in the compilation passes it content: a source, or a value made from one, as the caller's summary
/// reads it (flow-insensitively), or the caller's own such parameter (a recursive walker passing a nested document on).
/// So <c>ParseDictionary(parser.Decode() as Dictionary&lt;string, object&gt;)</c> makes the dictionary content where the
/// walker reads its <c>"$type"</c> key. Only documents: a number or a string a helper is given stays the caller's to check
/// (the helper sinks, <see cref="HelperSinks"/>); a document of values of any type is not checked as a whole by anything.
/// Decided once per method and compilation, methods that pass documents to each other to their common fixpoint
/// (<see cref="FactSolver"/>); a method called more than <see cref="MaxCalls"/> times is not read.
/// </summary>
internal sealed class DocumentParameters : FactSolver.Table
{
    /// <summary>The most calls of one method read for its documents.</summary>
    public const int MaxCalls = 64;

    /// <summary>What the trust model takes for a document parameter, for docs/trust-model.md.</summary>
    public static string Description { get; } =
        "A parameter of a method declared in the compilation that no code outside it can call (the method, or a type around it,\n"
        + "is private or internal; not virtual, abstract or an interface's) is a source when its type is a framework collection\n"
        + "of values of any type, a parsed document (`Dictionary<string, object>`, `IDictionary<string, object>`,\n"
        + "`IReadOnlyDictionary<string, object>`, `List<object>`, `IList<object>`, `IEnumerable<object>`), and a call in the\n"
        + "compilation passes it content: a source or a value made from one (as the caller's summary reads it), or the caller's\n"
        + "own such parameter. The origin names the parameter, the source and the caller: `parameter 'd' (JsonParser.Decode\n"
        + "(line 12) given by ToObject)`. Not sources: any other parameter type (a number or a string a helper is given is the\n"
        + "caller's to check), and a method called more than 64 times. Decided once per method and compilation.\n";

    private static readonly Dictionary<int, string> None = new();

    private static readonly ConditionalWeakTable<Compilation, Dictionary<string, List<InvocationExpressionSyntax>>> Calls = new();

    private readonly MethodSummaries summaries;

    public DocumentParameters(MethodSummaries summaries, int rank)
        : base(summaries.Solver, rank) => this.summaries = summaries;

    public override object Seed => None;

    /// <summary>The fact of a parameter when it is a document the compilation's callers give content; null otherwise.</summary>
    public ValueFact? Of(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (!IsDocument(parameter.Type) || parameter.ContainingSymbol is not IMethodSymbol method || !Candidate(method.OriginalDefinition))
        {
            return null;
        }

        return Solver.Get(this, method.OriginalDefinition, cancellationToken) is Dictionary<int, string> found && found.TryGetValue(parameter.Ordinal, out var origin)
            ? ValueFact.Source(origin, null, null)
            : null;
    }

    /// <summary>The calls of the method in the compilation, each with its caller and the caller's body; null when it has no document or is called too often.</summary>
    public override object? Open(ISymbol key, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)key;
        if (!Candidate(method) || !method.Parameters.Any(p => IsDocument(p.Type)))
        {
            return null;
        }

        var compilation = summaries.Compilation;
        if (!CallsByName(compilation, cancellationToken).TryGetValue(method.Name, out var named))
        {
            return null;
        }

        var calls = new List<Call>();
        foreach (var syntax in named)
        {
            cancellationToken.ThrowIfCancellationRequested();
#pragma warning disable RS1030 // The calls of a method are in any tree; each is bound once per method and compilation.
            var model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetSymbolInfo(syntax, cancellationToken).Symbol is not IMethodSymbol target
                || !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method)
                || model.GetEnclosingSymbol(syntax.SpanStart, cancellationToken) is not IMethodSymbol caller)
            {
                continue;
            }

            // A call inside a lambda or local function is read in its method's body.
            var owner = caller.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction ? caller.ContainingSymbol as IMethodSymbol ?? caller : caller;
            if (calls.Count == MaxCalls)
            {
                return null;
            }

            // The call as the caller's body holds it, so that its values are read with the body's locals.
            if (summaries.Body(owner, cancellationToken) is { } body
                && body.Descendants().OfType<IInvocationOperation>().FirstOrDefault(i => i.Syntax == syntax) is { } inBody)
            {
                calls.Add(new Call(owner.OriginalDefinition, body, inBody));
            }
        }

        return calls;
    }

    /// <summary>The summaries the callers' values are read with, the field sources of private callers, and the callers' own documents.</summary>
    public override IEnumerable<FactSolver.Node> Dependencies(ISymbol key, object input) =>
        ((List<Call>)input).SelectMany(c => summaries.CalleesOf(c.Body)
            .Concat(c.Invocation.Arguments.SelectMany(a => a.Value.DescendantsAndSelf().OfType<IInvocationOperation>()).Select(i => i.TargetMethod))
            .Select(summaries.NodeOf)
            .Concat(c.Body.Descendants().OfType<IFieldReferenceOperation>().Where(f => f.Instance is IInstanceReferenceOperation).Select(f => summaries.Fields.NodeOf(f.Field)).OfType<FactSolver.Node>())
            .Append(new FactSolver.Node(this, c.Caller)));

    public override object Compute(ISymbol key, object input, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)key;
        var found = new Dictionary<int, string>();
        foreach (var call in (List<Call>)input)
        {
            var arguments = call.Invocation.Arguments.Where(a => a.Parameter is { } p && IsDocument(p.Type) && !found.ContainsKey(p.Ordinal)).ToList();
            if (arguments.Count == 0)
            {
                continue;
            }

            var given = Solver.Get(this, call.Caller, cancellationToken) as Dictionary<int, string> ?? None;
            var passed = summaries.Passed(call.Caller, call.Body, arguments.Select(a => a.Value), cancellationToken).ToList();
            for (var i = 0; i < arguments.Count; i++)
            {
                var origin = passed[i].Origin ?? passed[i].Parameters.Where(given.ContainsKey).Select(p => given[p]).FirstOrDefault();
                if (origin is not null)
                {
                    var parameter = arguments[i].Parameter!;
                    found[parameter.Ordinal] = SymbolEqualityComparer.Default.Equals(call.Caller, method)
                        ? origin
                        : $"parameter '{parameter.Name}' ({origin} given by {call.Caller.Name})";
                }
            }
        }

        return found;
    }

    public override bool Same(object x, object y)
    {
        var a = (Dictionary<int, string>)x;
        var b = (Dictionary<int, string>)y;
        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && other == p.Value);
    }

    /// <summary>A framework collection of values of any type: a dictionary from strings to objects, or a list of objects.</summary>
    public static bool IsDocument(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named
        && named.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
        && named.TypeArguments[named.TypeArguments.Length - 1].SpecialType == SpecialType.System_Object
        && named.TypeArguments.Length switch
        {
            1 => named.Name is "List" or "IList" or "IReadOnlyList" or "IEnumerable" or "ICollection" or "IReadOnlyCollection",
            2 => named.TypeArguments[0].SpecialType == SpecialType.System_String && named.Name is "Dictionary" or "IDictionary" or "IReadOnlyDictionary",
            _ => false,
        };

    /// <summary>An ordinary method with a body that only the assembly's own code can call.</summary>
    private static bool Candidate(IMethodSymbol method)
    {
        if (method is not { MethodKind: MethodKind.Ordinary, IsVirtual: false, IsAbstract: false, IsOverride: false, IsExtern: false }
            || !method.ExplicitInterfaceImplementations.IsEmpty
            || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        for (ISymbol? current = method; current is INamedTypeSymbol or IMethodSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The calls of the compilation by the simple name of what they call, for the names of methods that take a document: one pass over its syntax.</summary>
    private static Dictionary<string, List<InvocationExpressionSyntax>> CallsByName(Compilation compilation, CancellationToken cancellationToken) =>
        Calls.GetValue(compilation, c =>
        {
            var wanted = new HashSet<string>(
                SourceTypes.Of(c).SelectMany(t => t.GetMembers().OfType<IMethodSymbol>()).Where(m => Candidate(m) && m.Parameters.Any(p => IsDocument(p.Type))).Select(m => m.Name),
                StringComparer.Ordinal);
            var found = new Dictionary<string, List<InvocationExpressionSyntax>>(StringComparer.Ordinal);
            if (wanted.Count == 0)
            {
                return found;
            }

            foreach (var tree in c.SyntaxTrees)
            {
                foreach (var invocation in tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    var name = invocation.Expression switch
                    {
                        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        SimpleNameSyntax simple => simple.Identifier.ValueText,
                        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                        _ => null,
                    };
                    if (name is not null && wanted.Contains(name))
                    {
                        if (!found.TryGetValue(name, out var list))
                        {
                            found[name] = list = new();
                        }

                        list.Add(invocation);
                    }
                }
            }

            return found;
        });

    private sealed record Call(IMethodSymbol Caller, IOperation Body, IInvocationOperation Invocation);
}
