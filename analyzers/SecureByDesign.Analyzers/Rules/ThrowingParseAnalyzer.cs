using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1004: a throwing parse (<c>int.Parse</c>, <c>Guid.ParseExact</c>, <c>Enum.Parse&lt;T&gt;</c>,
/// <c>Convert.ToInt32(string)</c>, ...) of text the flow engine says is untrusted, where the type has a Try form;
/// and, in code that declares it reads content, a <c>TryParse</c> of untrusted text whose result is thrown away.
/// Constant text, and text the engine does not trace to a source, are quiet.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThrowingParseAnalyzer : DiagnosticAnalyzer
{
    // Parsed types that are not primitives (SpecialType) but have a Try form.
    private static readonly ImmutableHashSet<string> ParsedTypes = ImmutableHashSet.Create(
        "System.Guid",
        "System.TimeSpan",
        "System.DateTimeOffset",
        "System.DateOnly",
        "System.TimeOnly",
        "System.Version",
        "System.Enum",
        "System.Half",
        "System.Int128",
        "System.UInt128",
        "System.Numerics.BigInteger",
        "System.Net.IPAddress",
        "System.Net.IPEndPoint",
        "System.Net.IPNetwork");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ThrowingParse);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => FlowRules.Register(start, nameof(ThrowingParseAnalyzer), IsParse, Inspect));
    }

    private static bool IsParse(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod: var method } && (IsThrowingParse(method) || IsTryParse(method));

    private static void Inspect(Action<Diagnostic> report, IOperation operation, FlowState state, FlowContext flow)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return;
        }

        var method = invocation.TargetMethod;
        var text = Text(invocation);
        if (IsThrowingParse(method) && TryForm.Find(method) is { } tryForm && !CaughtHere(invocation, flow) && !InTypedGetter(invocation, flow)
            && FlowRules.Untrusted(text, state, flow) is { } fact)
        {
            var message = $"'{text!.Describe()}' is not a valid {TryForm.TypeName(method.ReturnType)}.";
            Report(report, invocation, text!, fact, tryForm.FixProperties(invocation, message), $"which throws on malformed content; use {tryForm.Display} and reject the content");
        }
        else if (IsTryParse(method) && ResultIgnored(invocation) && InDeclaredContentCode(invocation, flow) && FlowRules.Untrusted(text, state, flow) is { } ignored)
        {
            Report(report, invocation, text!, ignored, ImmutableDictionary<string, string?>.Empty, "and its result is never tested, so malformed content reads as a default value; test the result and reject the content");
        }
    }

    /// <summary>
    /// The parse is in the try block of a try statement of the same method with a catch of every exception (<c>catch</c>,
    /// <c>catch (Exception)</c>, with no filter): a malformed value lands in the method's own handler, whatever it
    /// then does (a default, a rejection, its own exception). A catch of some exceptions only (<c>FormatException</c>)
    /// still lets an <c>OverflowException</c> through, and is not counted.
    /// </summary>
    private static bool CaughtHere(IInvocationOperation invocation, FlowContext flow)
    {
        SyntaxNode child = invocation.Syntax;
        foreach (var parent in invocation.Syntax.Ancestors())
        {
            if (parent is TryStatementSyntax attempt && attempt.Block == child
                && attempt.Catches.Any(c => c.Filter is null && (c.Declaration is null || IsException(c.Declaration.Type, invocation.SemanticModel ?? flow.Model))))
            {
                return true;
            }

            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                return false;
            }

            child = parent;
        }

        return false;
    }

    /// <summary>The typed getters of <c>IDataRecord</c> and <c>DbDataReader</c>: one field converted to one type.</summary>
    private static readonly ImmutableHashSet<string> TypedGetters = ImmutableHashSet.Create(
        "GetBoolean", "GetByte", "GetChar", "GetDateTime", "GetDecimal", "GetDouble", "GetFloat", "GetGuid",
        "GetInt16", "GetInt32", "GetInt64", "GetFieldValue", "GetFieldValueAsync");

    /// <summary>
    /// The parse is in a data record's typed getter: a method that overrides <c>DbDataReader</c>'s or implements
    /// <c>IDataRecord</c>'s <c>GetInt32</c>, <c>GetDateTime</c>, <c>GetFieldValue&lt;T&gt;</c> and the rest. Their caller
    /// asks for a conversion that has no value to return on failure, and ADO.NET's contract is that they throw when the
    /// field does not convert; the caller that wants leniency reads the string. So do a record's own public getters in the
    /// same convention, named for the type they return (<c>TimeSpan GetTimeSpan(int)</c>). Other methods stay flagged.
    /// </summary>
    private static bool InTypedGetter(IInvocationOperation invocation, FlowContext flow)
    {
        var model = flow.Model ?? invocation.SemanticModel;
        if (model is null || model.SyntaxTree != invocation.Syntax.SyntaxTree)
        {
            return false;
        }

        var symbol = model.GetEnclosingSymbol(invocation.Syntax.SpanStart, flow.CancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        // One field's value by its ordinal: GetInt32(int ordinal), GetFieldValue<T>(int ordinal).
        if (symbol is not IMethodSymbol { Name: var name, Parameters.Length: 1, ReturnType: not IArrayTypeSymbol } getter
            || getter.Parameters[0] is not { Type.SpecialType: SpecialType.System_Int32, RefKind: RefKind.None }
            || !name.StartsWith("Get", StringComparison.Ordinal))
        {
            return false;
        }

        var typed = TypedGetters.Contains(name);

        for (var overridden = getter.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (typed && IsDataType(overridden.ContainingType, "Common", "DbDataReader"))
            {
                return true;
            }
        }

        var records = getter.ContainingType.AllInterfaces.Where(i => IsDataType(i, null, "IDataRecord")).ToList();
        if (records.Count == 0)
        {
            return false;
        }

        // A getter of the record's own in the same convention, named for the type it returns (GetTimeSpan, GetDateTimeOffset).
        return getter.DeclaredAccessibility == Accessibility.Public && name == "Get" + getter.ReturnType.Name
            || typed && records.SelectMany(i => i.GetMembers(name))
                .Any(member => SymbolEqualityComparer.Default.Equals(getter.ContainingType.FindImplementationForInterfaceMember(member), getter));
    }

    /// <summary><c>System.Data.{name}</c>, or <c>System.Data.{inner}.{name}</c>.</summary>
    private static bool IsDataType(INamedTypeSymbol type, string? inner, string name)
    {
        var space = type.ContainingNamespace;
        if (type.Name != name)
        {
            return false;
        }

        if (inner is not null)
        {
            if (space?.Name != inner)
            {
                return false;
            }

            space = space.ContainingNamespace;
        }

        return space is { Name: "Data", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }

    private static bool IsException(TypeSyntax type, SemanticModel? model) =>
        model is not null && model.SyntaxTree == type.SyntaxTree
        && model.GetTypeInfo(type).Type is { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true }, Name: "Exception" or "SystemException" };

    private static void Report(Action<Diagnostic> report, IInvocationOperation invocation, IOperation text, ValueFact fact, ImmutableDictionary<string, string?> properties, string why)
    {
        report(Diagnostic.Create(
            Descriptors.ThrowingParse,
            invocation.Syntax.GetLocation(),
            properties,
            TryForm.DisplayName(invocation.TargetMethod),
            text.Describe(),
            fact.Origin,
            why));
    }

    /// <summary>The parsed text: the first argument that is a string or a span of chars or bytes.</summary>
    private static IOperation? Text(IInvocationOperation invocation) =>
        invocation.Arguments.FirstOrDefault(a => a.Parameter is { RefKind: RefKind.None } p
            && (p.Type.SpecialType == SpecialType.System_String || p.Type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span && span.TypeArguments[0].SpecialType is SpecialType.System_Char or SpecialType.System_Byte))?.Value;

    private static bool IsThrowingParse(IMethodSymbol method) =>
        method.IsStatic
        && (TryForm.IsConvert(method) ? IsParsedType(method.ReturnType) : method.Name is "Parse" or "ParseExact" && IsParsedType(method.ContainingType));

    private static bool IsTryParse(IMethodSymbol method) =>
        method.IsStatic && method.Name is "TryParse" or "TryParseExact" && IsParsedType(method.ContainingType);

    private static bool IsParsedType(ITypeSymbol? type) =>
        type is not null && (type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double or SpecialType.System_Decimal or SpecialType.System_DateTime
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
            || ParsedTypes.Contains(type.FullName()));

    /// <summary>
    /// True inside code that says it reads content: a <c>[ContentParser]</c> method, or one with an
    /// <c>[UntrustedContent]</c> parameter (or a lambda or local function in one). There the contract is to reject
    /// malformed content, and a discarded Try result breaks it; elsewhere, reading a malformed field as a default is a
    /// lenient reader's choice that neither throws nor reads out of bounds, and stays quiet.
    /// </summary>
    private static bool InDeclaredContentCode(IInvocationOperation invocation, FlowContext flow)
    {
        var model = flow.Model ?? invocation.SemanticModel;
        if (model is null || model.SyntaxTree != invocation.Syntax.SyntaxTree)
        {
            return false;
        }

        for (var symbol = model.GetEnclosingSymbol(invocation.Syntax.SpanStart, flow.CancellationToken); symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (symbol is IMethodSymbol m && (Annotations.Has(m, Annotations.ContentParser) || m.Parameters.Any(p => Annotations.Has(p, Annotations.UntrustedContent))))
            {
                return true;
            }

            if (symbol is INamedTypeSymbol)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>int.TryParse(s, out n);</c> as a statement, or <c>_ = int.TryParse(s, out n);</c>. Read from syntax: in the
    /// flow graph a statement's expression and a branch's condition both stand alone.
    /// </summary>
    private static bool ResultIgnored(IInvocationOperation invocation)
    {
        var node = invocation.Syntax.Parent;
        while (node is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node is ExpressionStatementSyntax
            || node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax };
    }
}
