using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What a method of the compilation does with untrusted data, for its callers: whether its return value
/// comes from a source, which parameters flow to it, and which buffer parameters it fills with content. Computed lazily, flow-insensitively (a summary
/// only says where values can come from), with the trust options of the method's own tree, and cached for the
/// compilation; methods that call each other, and the field sources they read, are solved together
/// (<see cref="FactSolver"/>), so a summary does not depend on which method was asked first.
/// </summary>
internal sealed partial class MethodSummaries
{
    private const int MaxOperations = 3000;

    private readonly Compilation compilation;
    private readonly Func<IMethodSymbol, TrustOptions> optionsOf;
    private readonly CallGraphFacts<Summary> facts;

    public MethodSummaries(Compilation compilation, AnalyzerOptions? analyzerOptions)
    {
        this.compilation = compilation;
        optionsOf = TrustOptions.OfTrees(analyzerOptions, compilation);
        Trust = TrustModel.For(compilation);
        Solver = new FactSolver();
        Fields = new FieldSources(this, rank: 1);
        Documents = new DocumentParameters(this, rank: 3);
        facts = new CallGraphFacts<Summary>(
            Solver,
            0,
            Body,
            (_, body) => Values(body).SelectMany(v => v.DescendantsAndSelf().OfType<IInvocationOperation>()).Concat(FilledBuffers.Candidates(body)).Concat(InstanceCalls(body)).Select(i => i.TargetMethod),
            Summarize,
            Summary.Empty,
            Summary.Comparer,
            (method, body) => method.DeclaredAccessibility == Accessibility.Private
                ? Values(body).SelectMany(v => v.DescendantsAndSelf().OfType<IFieldReferenceOperation>()).Where(f => f.Instance is IInstanceReferenceOperation).Select(f => Fields.NodeOf(f.Field)).OfType<FactSolver.Node>()
                : Enumerable.Empty<FactSolver.Node>());
    }

    /// <summary>Solves the compilation's facts that depend on each other: summaries, field sources, helper demands.</summary>
    public FactSolver Solver { get; }

    /// <summary>The node of a method's summary, for the dependencies of another fact.</summary>
    public FactSolver.Node NodeOf(IMethodSymbol method) => facts.NodeOf(method);

    /// <summary>The trust model's catalog, resolved for the compilation.</summary>
    public TrustModel Trust { get; }

    /// <summary>The fields read through <c>this</c> that hold untrusted data (<see cref="FieldSources"/>).</summary>
    public FieldSources Fields { get; }

    /// <summary>The parameters of the compilation's own methods given a parsed document (<see cref="DocumentParameters"/>).</summary>
    public DocumentParameters Documents { get; }

    /// <summary>The compilation the summaries are of.</summary>
    public Compilation Compilation => compilation;

    /// <summary>The trust options of the tree a method is declared in (the defaults without options or a tree).</summary>
    public TrustOptions OptionsOf(IMethodSymbol method) => optionsOf(method);

    /// <summary>
    /// The summary of a method declared in this compilation, or null when there is none to read (a method of
    /// another assembly, abstract, extern, bodiless or too large): callers then assume the result is as untrusted
    /// as the arguments.
    /// </summary>
    public Summary? Get(IMethodSymbol method, CancellationToken cancellationToken) => facts.Get(method, cancellationToken);

    /// <summary>The body of a method of this compilation, when it is small enough to read; null otherwise.</summary>
    public IOperation? Body(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract || method.IsExtern
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // A body is read once per method and compilation, for calls from other trees.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
#pragma warning restore RS1030
        return body is null || body.Descendants().Skip(MaxOperations).Any() ? null : body;
    }

    /// <summary>The values a summary reads: initial and assigned values of locals, and returned values.</summary>
    private static IEnumerable<IOperation> Values(IOperation body) =>
        body.Descendants().Select(o => o switch
        {
            IVariableDeclaratorOperation { Initializer.Value: { } initial } => initial,
            IAssignmentOperation { Target: ILocalReferenceOperation } assignment => assignment.Value,
            IReturnOperation { ReturnedValue: { } returned } => returned,
            _ => null,
        }).Where(v => v is not null)!;

    /// <summary>
    /// Where the values a method passes on can come from, read as its summary reads them (flow-insensitively): for each
    /// value, the origin of a source it may hold (null when none) and the ordinals of the method's parameters it may hold.
    /// Reads the summaries of the calls in the body (<see cref="NodeOf"/> names them).
    /// </summary>
    public IEnumerable<(string? Origin, ImmutableHashSet<int> Parameters)> Passed(IMethodSymbol method, IOperation body, IEnumerable<IOperation> values, CancellationToken cancellationToken)
    {
        var options = OptionsOf(method);
        Summary? callee(IMethodSymbol target) => Get(target, cancellationToken);
        string? fieldOrigin(IFieldSymbol field) => method.DeclaredAccessibility == Accessibility.Private ? Fields.Of(field, cancellationToken)?.Origin : null;
        var locals = Locals(body.Descendants().ToList(), options, callee, fieldOrigin, cancellationToken);
        return values.Select(value => Of(value, locals, options, Trust, callee, fieldOrigin)).Select(d => (d.Origin, d.Parameters)).ToList();
    }

    /// <summary>The calls whose summaries <see cref="Passed"/> reads in a body.</summary>
    public IEnumerable<IMethodSymbol> CalleesOf(IOperation body) => Values(body).SelectMany(v => v.DescendantsAndSelf().OfType<IInvocationOperation>()).Select(i => i.TargetMethod);

    private Summary Summarize(IMethodSymbol method, IOperation body, Func<IMethodSymbol, Summary?> callee, CancellationToken cancellationToken)
    {
        var options = OptionsOf(method);
        var operations = body.Descendants().ToList();
        // A field source reaches the callers of the type's private helpers (its public reads are sources already, ReaderTypes).
        string? fieldOrigin(IFieldSymbol field) => method.DeclaredAccessibility == Accessibility.Private ? Fields.Of(field, cancellationToken)?.Origin : null;
        var locals = Locals(operations, options, callee, fieldOrigin, cancellationToken);

        var result = Dependencies.None;
        foreach (var returned in operations.OfType<IReturnOperation>())
        {
            if (returned.ReturnedValue is { } value && returned.FindOwner() == body)
            {
                result = result.Union(Of(value, locals, options, Trust, callee, fieldOrigin));
            }
        }

        // A content validator's result is checked content: trusted from its caller on, as its out values are.
        var origin = Annotations.IsValidator(method, options) ? null : result.Origin;
        // The buffers it fills with content (a validator's checked them, as it checks what it returns).
        var fills = Annotations.IsValidator(method, options)
            ? ImmutableArray<FilledBuffers.Fill>.Empty
            : FilledBuffers.Of(method, body, operations, Trust, options, callee, v => Of(v, locals, options, Trust, callee, fieldOrigin).Origin, cancellationToken);
        var filled = Annotations.IsValidator(method, options) || method.IsStatic ? null : InstanceFill(body, operations, locals, options, callee, fieldOrigin);
        return new Summary(origin, result.Parameters.Where(p => p < method.Parameters.Length).OrderBy(p => p).ToImmutableArray(), result.Download, LengthParameter(method, body, operations), fills, filled)
        {
            SearchedParameter = SearchedParameter(method, body, operations),
            MaxLength = MaxReturnLength(method, body, operations),
            MinLength = MinReturnLength(method, body, operations),
            ReturnRange = ReturnRange(method, body, operations),
            OutLength = OutLengthParameter(method, body, operations),
        };
    }

    /// <summary>
    /// <c>void Read(BinaryReader reader) { Version = reader.ReadUInt16(); ... }</c>: the origin of the first source the
    /// method stores into a field or property of its own instance (directly, or through another such method of it), or
    /// null. A local the caller calls it on holds content afterwards: <c>var entry = new Header(); entry.Read(reader);
    /// return entry;</c> returns content.
    /// </summary>
    private string? InstanceFill(IOperation body, List<IOperation> operations, Dictionary<ILocalSymbol, Dependencies> locals, TrustOptions options, Func<IMethodSymbol, Summary?> callee, Func<IFieldSymbol, string?> fieldOrigin)
    {
        foreach (var operation in operations)
        {
            var found = operation switch
            {
                ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation } } stored when stored.FindOwner() == body =>
                    Of(stored.Value, locals, options, Trust, callee, fieldOrigin).Origin,
                IInvocationOperation { Instance: IInstanceReferenceOperation } call when call.FindOwner() == body => callee(call.TargetMethod)?.InstanceOrigin,
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The calls on the method's own instance or on its locals, whose instance fills <see cref="Locals"/> reads.</summary>
    private static IEnumerable<IInvocationOperation> InstanceCalls(IOperation body) =>
        body.Descendants().OfType<IInvocationOperation>().Where(i => i.Instance is IInstanceReferenceOperation or ILocalReferenceOperation);

    /// <summary>Each local's possible origins: a source, or parameters. Two passes reach what one assignment chain needs.</summary>
    private Dictionary<ILocalSymbol, Dependencies> Locals(List<IOperation> operations, TrustOptions options, Func<IMethodSymbol, Summary?> callee, Func<IFieldSymbol, string?> fieldOrigin, CancellationToken cancellationToken)
    {
        var locals = new Dictionary<ILocalSymbol, Dependencies>(SymbolEqualityComparer.Default);
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var operation in operations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (target, value) = operation switch
                {
                    IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator => (declarator.Symbol, initial),
                    IAssignmentOperation { Target: ILocalReferenceOperation local } assignment => (local.Local, assignment.Value),
                    // value is Dictionary<string, object> document: the local is the value.
                    IIsPatternOperation { Pattern: IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } } pattern => (declared, pattern.Value),
                    // TryParse(json, out value): the out value is as untrusted as the call's inputs, as the engine takes it.
                    IArgumentOperation { Parameter.RefKind: RefKind.Out, Value: ILocalReferenceOperation local, Parent: IInvocationOperation call } => (local.Local, call),
                    _ => ((ILocalSymbol?)null, (IOperation?)null),
                };
                if (operation is IInvocationOperation { Instance: ILocalReferenceOperation filledLocal } fill && callee(fill.TargetMethod)?.InstanceOrigin is { } filledFrom)
                {
                    // entry.Read(reader), where Read stores what it reads into its own fields: entry holds content.
                    var before = locals.TryGetValue(filledLocal.Local, out var held) ? held : Dependencies.None;
                    locals[filledLocal.Local] = before.Union(new Dependencies(filledFrom, ImmutableHashSet<int>.Empty, null));
                }

                if (target is not null && value is not null)
                {
                    // An out value is as untrusted as everything the call is given, not only what reaches its result.
                    var found = Of(value, locals, options, Trust, callee, fieldOrigin);
                    found = operation is IArgumentOperation
                        ? value.ChildOperations.Aggregate(found, (all, input) => all.Union(Of(input, locals, options, Trust, callee, fieldOrigin)))
                        : found;
                    locals[target] = found.Union(locals.TryGetValue(target, out var known) ? known : Dependencies.None);
                }
            }
        }

        return locals;
    }

    private static Dependencies Of(IOperation value, Dictionary<ILocalSymbol, Dependencies> locals, TrustOptions options, TrustModel trust, Func<IMethodSymbol, Summary?> summaryOf, Func<IFieldSymbol, string?> fieldOrigin)
    {
        var result = Dependencies.None;
        foreach (var operation in DataOperands(value, summaryOf))
        {
            switch (operation)
            {
                case IParameterReferenceOperation parameter when Annotations.IsUntrustedParameter(parameter.Parameter):
                    result = result.Union(new Dependencies($"parameter '{parameter.Parameter.Name}'", ImmutableHashSet<int>.Empty, null));
                    break;
                case IParameterReferenceOperation parameter:
                    result = result.Union(new Dependencies(null, ImmutableHashSet.Create(parameter.Parameter.Ordinal), null));
                    break;
                case ILocalReferenceOperation local when locals.TryGetValue(local.Local, out var known):
                    result = result.Union(known);
                    break;
                case IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when fieldOrigin(field.Field) is { } stored:
                    result = result.Union(new Dependencies(stored, ImmutableHashSet<int>.Empty, null));
                    break;
                case IPropertyReferenceOperation property when TaintSources.PropertyOrigin(property, trust, options) is { } named:
                    result = result.Union(new Dependencies(named, ImmutableHashSet<int>.Empty, null));
                    break;
                case IFieldReferenceOperation field when TaintSources.FieldOrigin(field, trust) is { } token:
                    result = result.Union(new Dependencies(token, ImmutableHashSet<int>.Empty, null));
                    break;
                case IInvocationOperation invocation when TaintSources.Origin(invocation, trust, options) is { } origin:
                    result = result.Union(new Dependencies(origin, ImmutableHashSet<int>.Empty, Verification.IsDownload(invocation.TargetMethod, trust) ? origin : null));
                    break;
                case IInvocationOperation invocation when summaryOf(invocation.TargetMethod) is { } callee:
                    if (callee.ReturnOrigin is not null)
                    {
                        result = result.Union(new Dependencies(callee.ReturnOrigin, ImmutableHashSet<int>.Empty, callee.ReturnDownload));
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// The operations whose values can become <paramref name="value"/>: all of it but the conditions that only choose
    /// among results, and what is thrown. <c>s switch { "AES" => Cipher.Aes, _ => throw ... }</c> returns a constant
    /// member whatever <c>s</c> is, and <c>ok ? a : b</c> is <c>a</c> or <c>b</c>, not <c>ok</c>. A call of the
    /// compilation passes on only the arguments its own summary says reach its result (as the engine reads the call at
    /// its site): <c>Build(encoding, write)</c> returning a <c>MemoryStream</c> it made does not return the encoding.
    /// </summary>
    private static IEnumerable<IOperation> DataOperands(IOperation value, Func<IMethodSymbol, Summary?> summaryOf)
    {
        var pending = new Stack<IOperation>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            yield return operation;
            IEnumerable<IOperation> children = operation switch
            {
                ISwitchExpressionOperation @switch => @switch.Arms.Select(a => a.Value),
                IThrowOperation => [],
                IConditionalOperation { WhenFalse: { } whenFalse } conditional => [conditional.WhenTrue, whenFalse],
                IInvocationOperation invocation when summaryOf(invocation.TargetMethod) is { } callee => ReachingResult(invocation, callee),
                _ => operation.ChildOperations,
            };
            foreach (var child in children)
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>The instance of a summarized call, and the arguments of the parameters its summary says reach its result.</summary>
    private static IEnumerable<IOperation> ReachingResult(IInvocationOperation invocation, Summary callee) =>
        invocation.ChildOperations.Where(child => child is not IArgumentOperation { Parameter: { } parameter } || callee.ParametersToReturn.Contains(parameter.Ordinal));

    internal sealed class Summary
    {
        public static readonly Summary Empty = new(null, ImmutableArray<int>.Empty, null, null, ImmutableArray<FilledBuffers.Fill>.Empty, null);

        public static readonly IEqualityComparer<Summary> Comparer = new SummaryComparer();

        public Summary(string? returnOrigin, ImmutableArray<int> parametersToReturn, string? returnDownload, int? lengthParameter, ImmutableArray<FilledBuffers.Fill> fills, string? instanceOrigin)
        {
            InstanceOrigin = instanceOrigin;
            Fills = fills;
            LengthParameter = lengthParameter;
            ReturnOrigin = returnOrigin;
            ParametersToReturn = parametersToReturn;
            ReturnDownload = returnDownload;
        }

        /// <summary>Where the return value was downloaded from, when it comes from the network; null otherwise.</summary>
        public string? ReturnDownload { get; }

        /// <summary>Where the return value comes from when it comes from a source; null otherwise.</summary>
        public string? ReturnOrigin { get; }

        /// <summary>The ordinal of the parameter whose valid index the method returns once its result is not negative (a search of it), when it always does.</summary>
        public int? SearchedParameter { get; init; }

        /// <summary>The most elements an array the method returns can have, when its types bound every one (<c>new int[count + 1]</c> of a <c>ushort</c> count); null otherwise.</summary>
        public long? MaxLength { get; init; }

        /// <summary>The fewest elements an array the method returns has, when every return is one it makes with a size of at least that (<c>new byte[9 + user.Length]</c>); null otherwise.</summary>
        public int? MinLength { get; init; }

        /// <summary>The lowest and highest value the method's integer result can have whatever its arguments, when narrower than its type's (<c>length % 4 == 0 ? 0 : 4 - length % 4</c>); null otherwise.</summary>
        public (long Lower, long Upper)? ReturnRange { get; init; }

        /// <summary>The ordinal of the out array parameter that has at least as many elements as the method returns (<c>return count;</c> after <c>entries = new Entry[count]</c>), when it always has.</summary>
        public int? OutLength { get; init; }

        /// <summary>The ordinal of the parameter that is at most the length of the array or collection the method returns (its length, or what it checked it against), when it always is.</summary>
        public int? LengthParameter { get; }

        /// <summary>The buffer parameters the method fills with content (<c>stream.Read(buffer)</c> inside), in ordinal order.</summary>
        public ImmutableArray<FilledBuffers.Fill> Fills { get; }

        /// <summary>Where the content the method stores into its own instance's fields comes from, when it stores some; null otherwise.</summary>
        public string? InstanceOrigin { get; }

        /// <summary>The ordinals of the parameters whose values can reach the return value.</summary>
        public ImmutableArray<int> ParametersToReturn { get; }
    }

    private sealed class SummaryComparer : IEqualityComparer<Summary>
    {
        public bool Equals(Summary? x, Summary? y) =>
            ReferenceEquals(x, y)
            || (x is not null && y is not null && x.ReturnOrigin == y.ReturnOrigin && x.ReturnDownload == y.ReturnDownload && x.LengthParameter == y.LengthParameter && x.SearchedParameter == y.SearchedParameter && x.MaxLength == y.MaxLength && x.MinLength == y.MinLength && Nullable.Equals(x.ReturnRange, y.ReturnRange) && x.OutLength == y.OutLength && x.ParametersToReturn.SequenceEqual(y.ParametersToReturn) && x.Fills.SequenceEqual(y.Fills) && x.InstanceOrigin == y.InstanceOrigin);

        public int GetHashCode(Summary obj) => (obj.ReturnOrigin?.GetHashCode() ?? 0) ^ obj.ParametersToReturn.Length;
    }

    private sealed class Dependencies
    {
        public static readonly Dependencies None = new(null, ImmutableHashSet<int>.Empty, null);

        public Dependencies(string? origin, ImmutableHashSet<int> parameters, string? download)
        {
            Origin = origin;
            Parameters = parameters;
            Download = download;
        }

        public string? Download { get; }

        public string? Origin { get; }

        public ImmutableHashSet<int> Parameters { get; }

        public Dependencies Union(Dependencies other) => new(Origin ?? other.Origin, Parameters.Union(other.Parameters), Download ?? other.Download);
    }
}

internal static class OwnerExtensions
{
    /// <summary>The method body, lambda or local function an operation belongs to.</summary>
    public static IOperation FindOwner(this IOperation operation)
    {
        var current = operation.Parent;
        while (current is not null && current is not (IAnonymousFunctionOperation or ILocalFunctionOperation) && current.Parent is not null)
        {
            current = current.Parent;
        }

        return current ?? operation;
    }
}
