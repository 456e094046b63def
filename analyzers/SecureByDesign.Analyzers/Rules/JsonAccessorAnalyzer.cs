using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1008: a throwing <c>JsonElement</c> accessor on an element the flow engine says is untrusted (parsed from
/// a stream, a file, the network, an annotated parameter). <c>GetProperty</c> and the <c>Get*</c> accessors that
/// have a <c>TryGet*</c> form are flagged with that form; <c>GetString</c>, <c>GetBoolean</c> and
/// <c>GetArrayLength</c>, which have none, are flagged unless the element's <c>ValueKind</c> is read earlier in the
/// method (a syntactic approximation of "checked").
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JsonAccessorAnalyzer : DiagnosticAnalyzer
{
    private const string JsonElement = "System.Text.Json.JsonElement";

    // Accessors that throw on a value of another kind and have no Try form.
    private static readonly ImmutableHashSet<string> KindOnly = ImmutableHashSet.Create("GetString", "GetBoolean", "GetArrayLength");

    /// <summary>The ValueKind reads of each member, collected once: the receiver's text and where it is first read.</summary>
    private static readonly ConditionalWeakTable<SyntaxNode, Dictionary<string, int>> KindReads = new();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ThrowingJsonAccessor);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (Trust.WellKnownTypes.For(start.Compilation).Get(JsonElement) is not null)
            {
                FlowRules.Register(start, nameof(JsonAccessorAnalyzer), IsAccessor, Inspect);
            }
        });
    }

    private static bool IsAccessor(IOperation operation) =>
        operation is IInvocationOperation { Instance: not null, TargetMethod: { IsStatic: false } method }
        && method.Name.StartsWith("Get", StringComparison.Ordinal)
        && method.ContainingType?.FullName() == JsonElement;

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        if (!IsAccessor(operation))
        {
            return;
        }

        var invocation = (IInvocationOperation)operation;
        var method = invocation.TargetMethod;
        var element = invocation.Instance!;

        // The cheap question first: most elements are not from content.
        if (FlowRules.Untrusted(element, state, flow) is not { } fact)
        {
            return;
        }

        string when;
        string remedy;
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (TryForm.Find(method) is { } tryForm)
        {
            var name = invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string text } ? text : null;
            when = method.Name == "GetProperty" ? "the property is missing" : $"the value is not {Expected(method)}";
            remedy = $"use {tryForm.Display} and reject the content";
            properties = tryForm.FixProperties(invocation, method.Name == "GetProperty"
                ? (name is null ? "A required property is missing." : $"The content has no '{name}' property.")
                : $"'{element.Describe()}' is not {Expected(method)}.");
        }
        else if (KindOnly.Contains(method.Name) && !KindCheckedBefore(element, invocation))
        {
            when = $"the value is not {Expected(method)}";
            remedy = "check its ValueKind first and reject the content";
        }
        else
        {
            return;
        }

        report(Diagnostic.Create(Descriptors.ThrowingJsonAccessor, invocation.Syntax.GetLocation(), properties, $"JsonElement.{method.Name}", element.Describe(), fact.Origin, when, remedy));
    }

    private static string Expected(IMethodSymbol method) => method.Name switch
    {
        "GetString" => "a string or null",
        "GetBoolean" => "true or false",
        "GetArrayLength" => "an array",
        "GetBytesFromBase64" => "a string of base64",
        "GetGuid" or "GetDateTime" or "GetDateTimeOffset" => $"a string in {method.ReturnType.Name} format",
        _ => $"a number that fits {TryForm.TypeName(method.ReturnType)}",
    };

    /// <summary>
    /// True when <c>x.ValueKind</c> is read, for the same receiver text, before the call in the same member (for top-level
    /// statements, the whole file's program): a switch on the kind or an <c>if</c> that rejects the wrong one. Whether the
    /// check dominates the call is not proven.
    /// </summary>
    private static bool KindCheckedBefore(IOperation element, IOperation invocation)
    {
        SyntaxNode? member = invocation.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is GlobalStatementSyntax global)
        {
            member = global.Parent;
        }

        return member is not null
            && KindReads.GetValue(member, FirstKindReads).TryGetValue(element.Syntax.ToString(), out var first)
            && first < invocation.Syntax.SpanStart;
    }

    /// <summary>Every <c>x.ValueKind</c> of a member, in one pass.</summary>
    private static Dictionary<string, int> FirstKindReads(SyntaxNode member)
    {
        var reads = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var access in member.DescendantNodes().OfType<MemberAccessExpressionSyntax>())
        {
            if (access.Name.Identifier.ValueText == "ValueKind")
            {
                var receiver = access.Expression.ToString();
                reads[receiver] = reads.TryGetValue(receiver, out var earlier) ? Math.Min(earlier, access.SpanStart) : access.SpanStart;
            }
        }

        return reads;
    }
}
