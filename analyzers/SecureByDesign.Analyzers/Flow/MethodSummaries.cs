using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What a method of the compilation does with untrusted data, for its callers: whether its return value
/// comes from a source, and which parameters flow to it. Computed lazily, flow-insensitively (a summary
/// only says where values can come from), and cached for the compilation.
/// </summary>
internal sealed class MethodSummaries
{
    private const int MaxOperations = 3000;

    private readonly Compilation compilation;
    private readonly TrustOptions options;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<Summary?>> cache = new(SymbolEqualityComparer.Default);

    [ThreadStatic]
    private static HashSet<IMethodSymbol>? inProgress;

    public MethodSummaries(Compilation compilation, TrustOptions options)
    {
        this.compilation = compilation;
        this.options = options;
    }

    /// <summary>The trust options the summaries were made with: those of the compilation's first tree.</summary>
    public TrustOptions Options => options;

    /// <summary>The summaries of a compilation, for a rule's compilation start action.</summary>
    public static MethodSummaries For(Compilation compilation, AnalyzerOptions analyzerOptions)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault();
        return new MethodSummaries(compilation, tree is null ? TrustOptions.Default : TrustOptions.For(analyzerOptions, tree));
    }

    /// <summary>
    /// The summary of a method declared in this compilation, or null when there is none to read (a method of
    /// another assembly, abstract, extern, bodiless or too large): callers then assume the result is as untrusted
    /// as the arguments.
    /// </summary>
    public Summary? Get(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract || method.IsExtern
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }

        inProgress ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (inProgress.Contains(method))
        {
            return Summary.Empty; // Recursion: what the method returns through itself adds nothing new.
        }

        // PublicationOnly: two threads that need each other's summaries (mutually recursive methods) compute
        // both instead of waiting on each other.
        return cache.GetOrAdd(method, m => new Lazy<Summary?>(() => Compute(m), LazyThreadSafetyMode.PublicationOnly)).Value;
    }

    private Summary? Compute(IMethodSymbol method)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // A summary is computed once per method and compilation, for calls from other trees.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        if (body is null || body.Descendants().Skip(MaxOperations).Any())
        {
            return null;
        }

        inProgress!.Add(method);
        try
        {
            return Summarize(method, body);
        }
        finally
        {
            inProgress.Remove(method);
        }
    }

    private Summary Summarize(IMethodSymbol method, IOperation body)
    {
        var operations = body.Descendants().ToList();

        // Each local's possible origins: a source, or parameters. Two passes reach what one assignment chain needs.
        var locals = new Dictionary<ILocalSymbol, Dependencies>(SymbolEqualityComparer.Default);
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var operation in operations)
            {
                var (target, value) = operation switch
                {
                    IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator => (declarator.Symbol, initial),
                    IAssignmentOperation { Target: ILocalReferenceOperation local } assignment => (local.Local, assignment.Value),
                    _ => ((ILocalSymbol?)null, (IOperation?)null),
                };
                if (target is not null && value is not null)
                {
                    locals[target] = Of(value, locals).Union(locals.TryGetValue(target, out var known) ? known : Dependencies.None);
                }
            }
        }

        var result = Dependencies.None;
        foreach (var returned in operations.OfType<IReturnOperation>())
        {
            if (returned.ReturnedValue is { } value && returned.FindOwner() == body)
            {
                result = result.Union(Of(value, locals));
            }
        }

        return new Summary(result.Origin, result.Parameters.Where(p => p < method.Parameters.Length).OrderBy(p => p).ToImmutableArray(), result.Download);
    }

    private Dependencies Of(IOperation value, Dictionary<ILocalSymbol, Dependencies> locals)
    {
        var result = Dependencies.None;
        foreach (var operation in value.DescendantsAndSelf())
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
                case IInvocationOperation invocation when TaintSources.Origin(invocation, options) is { } origin:
                    result = result.Union(new Dependencies(origin, ImmutableHashSet<int>.Empty, Verification.IsDownload(invocation.TargetMethod) ? origin : null));
                    break;
                case IInvocationOperation invocation when Get(invocation.TargetMethod) is { } callee:
                    if (callee.ReturnOrigin is not null)
                    {
                        result = result.Union(new Dependencies(callee.ReturnOrigin, ImmutableHashSet<int>.Empty, callee.ReturnDownload));
                    }

                    break;
            }
        }

        return result;
    }

    internal sealed class Summary
    {
        public static readonly Summary Empty = new(null, ImmutableArray<int>.Empty, null);

        public Summary(string? returnOrigin, ImmutableArray<int> parametersToReturn, string? returnDownload)
        {
            ReturnOrigin = returnOrigin;
            ParametersToReturn = parametersToReturn;
            ReturnDownload = returnDownload;
        }

        /// <summary>Where the return value was downloaded from, when it comes from the network; null otherwise.</summary>
        public string? ReturnDownload { get; }

        /// <summary>Where the return value comes from when it comes from a source; null otherwise.</summary>
        public string? ReturnOrigin { get; }

        /// <summary>The ordinals of the parameters whose values can reach the return value.</summary>
        public ImmutableArray<int> ParametersToReturn { get; }
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
