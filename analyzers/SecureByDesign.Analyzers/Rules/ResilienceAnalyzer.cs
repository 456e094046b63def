using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD4001: content handled on an entry point (thread, timer or thread-pool callback, fire-and-forget task, async void,
/// Main) with no handler between it and the process that rejects the content. SBD4002: FailFast, Exit or Process.Kill in
/// a content parser or in the handler of a failed content read. Symbol and operation level, no dataflow: the work is
/// a walk of the entry's body and of the methods of the compilation it calls, a few calls deep.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class ResilienceAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// Diagnostic property for the fixer: what the entry returns, "nothing", "exit code" (Main), "ignored value" (the
    /// callback of a discarded task) or "value".
    /// </summary>
    public const string ReturnsKey = "Returns";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ContentExceptionEscapes, Descriptors.ProcessEndedByContent);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var reach = new Reach(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeMethod(c, reach), OperationKind.MethodBody);
            start.RegisterOperationAction(c => AnalyzeLambda(c, reach), OperationKind.AnonymousFunction);
            start.RegisterOperationAction(c => AnalyzeMethodGroup(c, reach), OperationKind.MethodReference);
            start.RegisterOperationAction(c => AnalyzeTry(c, reach), OperationKind.Try);
        });
    }

    private static void AnalyzeMethod(OperationAnalysisContext context, Reach reach)
    {
        if (context.ContainingSymbol is not IMethodSymbol method)
        {
            return;
        }

        var body = (IMethodBodyOperation)context.Operation;
        if (Annotations.Has(method, Annotations.ContentParser))
        {
            foreach (var hit in reach.Find(body, Terminates, handlers: false, TrustOptions.For(context.Options, body.Syntax.SyntaxTree)))
            {
                ReportEnd(context, hit, $"inside the content parser {method.ShortName()}");
            }
        }

        var entry = method switch
        {
            { Name: "<Main>$" } => "The top-level statements",
            { Name: "Main", IsStatic: true } => "Main",
            { IsAsync: true, ReturnsVoid: true } => $"The async void method '{method.Name}'",
            _ => null,
        };
        if (entry is not null)
        {
            ReportEscape(context, reach, entry, task: false, method, body, body.BlockBody ?? (IOperation?)body.ExpressionBody, primary: null);
        }
    }

    private static void AnalyzeLambda(OperationAnalysisContext context, Reach reach)
    {
        var lambda = (IAnonymousFunctionOperation)context.Operation;
        var kind = reach.CallbackKind(lambda.Parent) ?? (lambda.Symbol is { IsAsync: true, ReturnsVoid: true } ? "async void lambda" : null);
        if (kind is not null && !(IsTask(kind) && reach.StartedPerItem(lambda.Parent!, TrustOptions.For(context.Options, lambda.Syntax.SyntaxTree))))
        {
            ReportEscape(context, reach, $"The {kind} ({Line(lambda)})", IsTask(kind), lambda.Symbol, lambda.Body, lambda.Body, primary: null);
        }
    }

    /// <summary><c>new Thread(Worker)</c>: Worker's body is the entry; reported on the method group, which is where the callback is made.</summary>
    private static void AnalyzeMethodGroup(OperationAnalysisContext context, Reach reach)
    {
        var group = (IMethodReferenceOperation)context.Operation;
        if (group.Method is { IsAsync: true, ReturnsVoid: true } || reach.CallbackKind(group.Parent) is not { } kind || reach.BodyOf(group.Method) is not { } body)
        {
            return; // An async void method is an entry of its own, reported in its body.
        }

        if (IsTask(kind) && reach.StartedPerItem(group.Parent!, TrustOptions.For(context.Options, group.Syntax.SyntaxTree)))
        {
            return;
        }

        var block = body switch
        {
            IMethodBodyOperation method => method.BlockBody ?? (IOperation?)method.ExpressionBody,
            ILocalFunctionOperation local => local.Body,
            _ => null,
        };
        var entry = $"The {kind} '{group.Method.Name}' ({Line(group)})";
        ReportEscape(context, reach, entry, IsTask(kind), group.Method, body, block, group.Syntax.GetLocation());
    }

    /// <summary>SBD4002 in the handlers of a <c>try</c> around content handling (a parser's own are reported with the parser).</summary>
    private static void AnalyzeTry(OperationAnalysisContext context, Reach reach)
    {
        var attempt = (ITryOperation)context.Operation;
        if (attempt.Catches.IsEmpty || Annotations.Has(context.ContainingSymbol, Annotations.ContentParser))
        {
            return;
        }

        var options = TrustOptions.For(context.Options, attempt.Syntax.SyntaxTree);
        string? guarded = null;
        foreach (var handler in attempt.Catches)
        {
            foreach (var hit in reach.Find(handler.Handler, Terminates, handlers: false, options))
            {
                guarded ??= reach.Find(attempt.Body, (call, o) => HandlesContent(call, reach.Trust, o), handlers: true, options).FirstOrDefault() is { } content ? content.Action + content.Through : string.Empty;
                if (guarded.Length == 0)
                {
                    return; // The try handles no content: its handlers are not this rule's business.
                }

                ReportEnd(context, hit, $"in the handler of a try that {guarded}");
            }
        }
    }

    /// <param name="task">The entry is the callback of a discarded task: an exception stops the task, not the process, and its result is ignored.</param>
    private static void ReportEscape(OperationAnalysisContext context, Reach reach, string entry, bool task, IMethodSymbol function, IOperation body, IOperation? block, Location? primary)
    {
        var hits = reach.Find(body, (call, o) => HandlesContent(call, reach.Trust, o), handlers: true, TrustOptions.For(context.Options, body.Syntax.SyntaxTree), ownUse: true).ToList();
        if (hits.Count == 0)
        {
            return;
        }

        var first = hits[0];
        var returns = function.ReturnsVoid || function.ReturnType.Name is "Task" or "ValueTask" && function.ReturnType is INamedTypeSymbol { IsGenericType: false } ? "nothing"
            : function.Name is "Main" or "<Main>$" ? "exit code"
            : task ? "ignored value"
            : "value";

        // The fixer's map: the entry's body first, then every unprotected call it wraps.
        var additional = new List<Location>();
        if (block is not null)
        {
            additional.Add(block.Syntax.GetLocation());
            additional.AddRange(hits.Select(h => h.Site.Syntax.GetLocation()));
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.ContentExceptionEscapes,
            primary ?? first.Site.Syntax.GetLocation(),
            additional,
            ImmutableDictionary<string, string?>.Empty.Add(ReturnsKey, returns),
            entry,
            first.Action + first.Through,
            first.Handler ?? "with no handler around it",
            task ? "stops the task, and nothing observes it" : "ends the process"));
    }

    private static bool IsTask(string kind) => kind.StartsWith("Task.", StringComparison.Ordinal);

    private static void ReportEnd(OperationAnalysisContext context, Reach.Hit hit, string where) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ProcessEndedByContent, hit.Site.Syntax.GetLocation(), hit.Through.Length == 0 ? hit.Action : hit.Action + hit.Through + ",", where));

    /// <summary>What the call does to content, when it handles content: a declared parser, or a read of the trust model.</summary>
    private static string? HandlesContent(IInvocationOperation call, TrustModel trust, TrustOptions options)
    {
        if (Annotations.Has(call.TargetMethod, Annotations.ContentParser))
        {
            return $"calls the content parser {call.TargetMethod.ShortName()} ({Line(call)})";
        }

        // The one question this rule asks the trust model.
        return TaintSources.Origin(call, trust, options) is { } origin ? $"reads content with {origin}" : null;
    }

    private static string? Terminates(IInvocationOperation call, TrustOptions options) => call.TargetMethod switch
    {
        { Name: "FailFast" or "Exit", ContainingType: { Name: "Environment" } type } when InSystem(type) => $"{call.TargetMethod.ShortName()} ({Line(call)})",
        { Name: "Kill", ContainingType: { Name: "Process" } type } when InSystem(type) => $"Process.Kill ({Line(call)})",
        _ => null,
    };

    private static bool InSystem(INamedTypeSymbol type) =>
        type.ContainingNamespace?.ToDisplayString() is "System" or "System.Diagnostics";

    private static string Line(IOperation operation) =>
        $"line {operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
}
