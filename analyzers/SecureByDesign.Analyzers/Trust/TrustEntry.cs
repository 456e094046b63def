using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>What a member of the catalog is to the trust model.</summary>
internal enum TrustRole
{
    /// <summary>A call whose result, and the buffers it fills, hold untrusted content.</summary>
    Source,

    /// <summary>A property the content sets: the path of an archive entry.</summary>
    ContentName,

    /// <summary>A type that reads content: a deserializer given one reads what it holds.</summary>
    ContentReader,

    /// <summary>A call that brings data over the network: what it returns is a download.</summary>
    Download,

    /// <summary>A signature check of data: returns a verdict (bool) or throws on failure (void, Task).</summary>
    Verifier,

    /// <summary>A check that returns a verdict the caller must test, and proves nothing about any data by itself.</summary>
    Verdict,

    /// <summary>Sink: an offset into memory nothing checks.</summary>
    Index,

    /// <summary>A reference to the first element of a buffer: an offset from it must stay inside the buffer.</summary>
    BufferStart,

    /// <summary>Sink: reads or writes a whole T at a reference or pointer, so an offset to it must leave room for T.</summary>
    Reinterpret,

    /// <summary>Sink: a range of a buffer (buffer, offset, length).</summary>
    Slice,

    /// <summary>Sink: an allocation of the given size.</summary>
    Allocate,

    /// <summary>Sink: reads a whole stream or reader into memory.</summary>
    ReadWhole,

    /// <summary>Sink: the work in a loop body whose count the content may set (matched in syntax, by name).</summary>
    Loop,

    /// <summary>Sink: writes data to a file, or creates a file or folder, at a path.</summary>
    WriteFile,

    /// <summary>Sink: copies or moves a file to a path.</summary>
    CopyFile,

    /// <summary>Sink: extracts an archive or an archive entry.</summary>
    Extract,

    /// <summary>Sink: loads code.</summary>
    Load,

    /// <summary>Sink: runs a program.</summary>
    Run,

    /// <summary>Sink: turns content into an object graph of the declared types.</summary>
    Deserialize,

    /// <summary>Sink: a deserializer that lets the content name the types it creates.</summary>
    DeserializeAnyType,

    /// <summary>Sink: resolves or creates a type by name, or creates an instance of a type value.</summary>
    ResolveType,
}

/// <summary>
/// One member of the trust model's catalog: a type by metadata name, a member of it and the parameters that matter.
/// A member is a name, a prefix (<c>Read*</c>), any member (<c>*</c>), a constructor (<c>.ctor</c>), or null for the type
/// itself. A parameter is named as the framework names it, <c>this</c> for the receiver, or <c>#N</c> by position.
/// </summary>
internal sealed record TrustEntry(TrustRole Role, string Type, string? Member, string Note)
{
    public const string Constructor = ".ctor";
    public const string Receiver = "this";

    /// <summary>The path a call writes to (WriteFile, CopyFile, Extract).</summary>
    public string? Path { get; init; }

    /// <summary>The data a call persists, loads or runs, or the stream it reads whole.</summary>
    public string? Data { get; init; }

    /// <summary>The buffer a range or offset is into (Slice).</summary>
    public string? Buffer { get; init; }

    /// <summary>The start of a range, or an offset (Slice, Index).</summary>
    public string? Offset { get; init; }

    /// <summary>The length of a range (Slice).</summary>
    public string? Length { get; init; }

    /// <summary>The size of an allocation; null: the first int argument (Allocate).</summary>
    public string? Size { get; init; }

    /// <summary>An allocation whose array has exactly the size asked for, never more or fewer elements (Allocate).</summary>
    public bool Exact { get; init; }

    /// <summary>An allocation whose array has at least the size asked for (a pool's rented array) (Allocate).</summary>
    public bool AtLeast { get; init; }

    /// <summary>
    /// A size hint an implementation may take as it likes (<c>IBufferWriter&lt;T&gt;.GetSpan</c>): at least that many only
    /// from the framework's writers, and a negative hint need not throw (Allocate).
    /// </summary>
    public bool Hint { get; init; }

    /// <summary>True when the entry's member is <paramref name="member"/>.</summary>
    public bool Names(ISymbol member)
    {
        if (Member is null)
        {
            return false;
        }

        if (Member == Constructor)
        {
            return member is IMethodSymbol { MethodKind: MethodKind.Constructor };
        }

        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor })
        {
            return false;
        }

        return Matches(Member, member.Name);
    }

    /// <summary>True when a name matches a member pattern: the name itself, a prefix (<c>Read*</c>) or any (<c>*</c>).</summary>
    public static bool Matches(string pattern, string name)
    {
        // Without a substring: the engine asks this for every call it sees.
        var prefix = pattern.Length - 1;
        return pattern[prefix] == '*'
            ? name.Length >= prefix && string.CompareOrdinal(name, 0, pattern, 0, prefix) == 0
            : name == pattern;
    }

    /// <summary>The argument a parameter of the entry names in a call, or the receiver for <c>this</c>.</summary>
    /// <summary>
    /// The size a catalogued allocation that returns exactly or at least what it is asked for was asked for
    /// (<c>ArrayPool&lt;byte&gt;.Shared.Rent(n)</c>, <c>writer.GetSpan(n)</c>); null for any other call.
    /// </summary>
    public static IOperation? MadeSize(IInvocationOperation call, TrustModel trust) => MadeSize(call, trust, out _);

    /// <summary>The same, and whether the size is a hint that proves nothing when it is negative (<see cref="Hint"/>).</summary>
    public static IOperation? MadeSize(IInvocationOperation call, TrustModel trust, out bool hint)
    {
        hint = false;
        if (trust.Find(call.TargetMethod, TrustRole.Allocate) is not { } entry || !(entry.Exact || entry.AtLeast)
            || (entry.Hint && (!call.TargetMethod.DeclaringSyntaxReferences.IsEmpty || OwnWriters.Declares(trust.Compilation))))
        {
            return null;
        }

        hint = entry.Hint;
        return entry.Size is { } named ? Argument(call, named) : call.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_Int32)?.Value;
    }

    public static IOperation? Argument(IOperation call, string? parameter)
    {
        var (instance, arguments) = call switch
        {
            IInvocationOperation invocation => (invocation.Instance, invocation.Arguments),
            IObjectCreationOperation creation => (null, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (parameter is null)
        {
            return null;
        }

        if (parameter == Receiver)
        {
            return instance;
        }

        if (parameter.StartsWith("#", StringComparison.Ordinal))
        {
            var ordinal = int.Parse(parameter.Substring(1), System.Globalization.CultureInfo.InvariantCulture);
            return arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value;
        }

        return arguments.Argument(parameter)?.Value;
    }
}
