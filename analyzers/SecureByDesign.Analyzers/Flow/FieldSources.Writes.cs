using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureByDesign.Analyzers.Flow;

internal sealed partial class FieldSources
{
    /// <summary>
    /// Where a type's own syntax writes its fields, by name (a local of the same name counts too: that only makes a field
    /// less likely to be a source): the members that assign each field, the byte buffers whose contents it writes, and the
    /// methods its constructors call. One walk of the type's declarations.
    /// </summary>
    private sealed class Writes
    {
        public const string Constructor = ".ctor";

        private const string Other = "";

        private static readonly string[] Fillers = { "BlockCopy", "Copy", "CopyTo", "TryCopyTo", "GetBytes", "Fill", "Encode", "TryEncode" };

        /// <summary>Each assigned field's name, with the members (a method's name, <see cref="Constructor"/>, or another member) that assign it.</summary>
        public Dictionary<string, HashSet<string>> Assigned { get; } = new(StringComparer.Ordinal);

        /// <summary>The fields whose elements the type writes: its own output, not content.</summary>
        public HashSet<string> SelfFilled { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Constructors { get; } = new(StringComparer.Ordinal) { Constructor };

        /// <summary>The constructors and the type's non-virtual instance methods they call.</summary>
        public HashSet<string> Initializers { get; } = new(StringComparer.Ordinal) { Constructor };

        /// <summary>The byte fields a constructor stores after passing them to a check of its own (<c>Validate(bytes); this.bytes = bytes;</c>).</summary>
        public HashSet<string> Checked { get; } = new(StringComparer.Ordinal);

        private readonly HashSet<string> passed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> storedFrom = new(StringComparer.Ordinal);

        public bool OnlyIn(string field, HashSet<string> members) => !Assigned.TryGetValue(field, out var where) || where.All(members.Contains);

        public static Writes Of(INamedTypeSymbol owner, IEnumerable<string> names, CancellationToken cancellationToken)
        {
            var writes = new Writes();
            var fields = new HashSet<string>(names, StringComparer.Ordinal);
            var called = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in owner.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                foreach (var member in declaration.Members)
                {
                    if (member is BaseTypeDeclarationSyntax)
                    {
                        continue;
                    }

                    var label = member switch
                    {
                        ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword) => Constructor,
                        MethodDeclarationSyntax method => method.Identifier.ValueText,
                        _ => Other,
                    };
                    foreach (var node in member.DescendantNodes())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        writes.Visit(node, label, fields, label == Constructor ? called : null);
                    }
                }
            }

            writes.Checked.UnionWith(writes.storedFrom.Where(p => writes.passed.Contains(p.Value)).Select(p => p.Key));
            foreach (var method in owner.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind == MethodKind.Ordinary && !method.IsStatic && !method.IsVirtual && !method.IsAbstract && !method.IsOverride && called.Contains(method.Name))
                {
                    writes.Initializers.Add(method.Name);
                }
            }

            return writes;
        }

        private void Visit(SyntaxNode node, string label, HashSet<string> fields, HashSet<string>? called)
        {
            switch (node)
            {
                case AssignmentExpressionSyntax assignment:
                    Written(assignment.Left, label, fields);
                    if (label == Constructor && Name(assignment.Left) is { } target && assignment.Right is IdentifierNameSyntax value)
                    {
                        storedFrom[target] = value.Identifier.ValueText;
                    }

                    break;
                case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax check } when label == Constructor && !check.Expression.ToString().Contains("Null"):
                    passed.UnionWith(check.ArgumentList.Arguments.Select(a => a.Expression).OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText));
                    break;
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix:
                    Written(prefix.Operand, label, fields);
                    break;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix:
                    Written(postfix.Operand, label, fields);
                    break;
                case ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword } passed:
                    Written(passed.Expression, label, fields);
                    break;
                case InvocationExpressionSyntax invocation:
                    var name = invocation.Expression switch
                    {
                        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        _ => null,
                    };
                    if (name is null)
                    {
                        break;
                    }

                    if (called is not null && invocation.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax })
                    {
                        called.Add(name);
                    }

                    if (name.StartsWith("Write", StringComparison.Ordinal) || name.StartsWith("TryWrite", StringComparison.Ordinal) || Fillers.Contains(name))
                    {
                        var skip = name is "BlockCopy" or "Copy" ? 2 : 0;
                        foreach (var argument in invocation.ArgumentList.Arguments.Skip(skip))
                        {
                            if (Root(argument.Expression) is { } filled && fields.Contains(filled))
                            {
                                SelfFilled.Add(filled);
                            }
                        }
                    }

                    break;
            }
        }

        private void Written(ExpressionSyntax target, string label, HashSet<string> fields)
        {
            if (target is TupleExpressionSyntax tuple)
            {
                foreach (var item in tuple.Arguments)
                {
                    Written(item.Expression, label, fields);
                }

                return;
            }

            if (target is ElementAccessExpressionSyntax element)
            {
                if (Root(element.Expression) is { } buffer && fields.Contains(buffer))
                {
                    SelfFilled.Add(buffer);
                }

                return;
            }

            if (Name(target) is { } name && fields.Contains(name))
            {
                if (!Assigned.TryGetValue(name, out var members))
                {
                    Assigned[name] = members = new HashSet<string>(StringComparer.Ordinal);
                }

                members.Add(label);
            }
        }

        /// <summary>The field a target names: <c>count</c> or <c>this.count</c>.</summary>
        private static string? Name(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
            ParenthesizedExpressionSyntax parenthesized => Name(parenthesized.Expression),
            _ => null,
        };

        /// <summary>The field a buffer expression views: <c>buffer</c>, <c>buffer.AsSpan(i)</c>, <c>this.memory.Span.Slice(i)</c>.</summary>
        private static string? Root(ExpressionSyntax expression) => expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan" or "AsMemory" or "Slice" } access } => Root(access.Expression),
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Span" } access => Root(access.Expression),
            CastExpressionSyntax cast => Root(cast.Expression),
            _ => Name(expression),
        };
    }
}
