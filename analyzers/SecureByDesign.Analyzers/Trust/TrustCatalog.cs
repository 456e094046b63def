namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// The trust model's catalog of framework members (and of the common archive libraries'): where untrusted content comes from, what checks it, and the sinks
/// it must be checked before, by kind. One line per member; <see cref="TrustModel"/> resolves the types to symbols once
/// per compilation and matches calls by symbol, along base types and interfaces. docs/trust-model.md is generated from
/// this list (a test fails when it is stale). The vendor's own annotations and the .editorconfig settings add to it
/// (<see cref="Annotations"/>, <see cref="TrustOptions"/>).
/// </summary>
internal static class TrustCatalog
{
    private const string File = "System.IO.File";
    private const string Zip = "System.IO.Compression.ZipFileExtensions";

    public static ImmutableArray<TrustEntry> Entries { get; } =
        Sources().Concat(Checks()).Concat(MemorySinks()).Concat(FileSinks()).Concat(CodeSinks()).ToImmutableArray();

    /// <summary>What each role means and which rules ask for it, for docs/trust-model.md; in the order the page lists them.</summary>
    public static ImmutableArray<(TrustRole Role, string Meaning)> Roles { get; } = ImmutableArray.Create(
        (TrustRole.Source, "Sources: the result, and the arrays, spans and out arguments the call fills, are untrusted (every rule that follows untrusted values)."),
        (TrustRole.ContentName, "Names the content chose: the property's value is an untrusted path (SBD1006)."),
        (TrustRole.ContentReader, "Readers: a deserializer given one of these reads untrusted content (its result is a source)."),
        (TrustRole.Download, "Downloads: what any member of these types returns came over the network (SBD3001, SBD3004)."),
        (TrustRole.Verifier, "Verifiers: a signature check of the data argument (or of every argument, when none is named); one that returns bool verifies where it returned true, one that returns nothing where it returned (SBD3001-SBD3004)."),
        (TrustRole.Verdict, "Verdicts: checks whose result must be tested, which verify no data by themselves (SBD3002, SBD3003)."),
        (TrustRole.Index, "Sink, index: an offset into memory that no bounds check covers (SBD2005)."),
        (TrustRole.BufferStart, "Buffer starts: a reference to the buffer's first element; an offset from it (`Unsafe.Add`) must stay below the buffer's length (SBD2005)."),
        (TrustRole.Reinterpret, "Sink, reinterpret: reads or writes a whole `T` at the reference or pointer (`data`); the offset that reached it must leave room for `T` in the buffer (SBD2005)."),
        (TrustRole.Slice, "Sink, slice: a range of a buffer, by any member of the type that has these parameters (SBD2002)."),
        (TrustRole.Allocate, "Sink, allocate: a size (the first int argument, unless named) that needs an upper bound (SBD2003)."),
        (TrustRole.ReadWhole, "Sink, allocate all: reads everything a stream or reader holds into memory (SBD2006)."),
        (TrustRole.WriteFile, "Sink, write a file: the path must be contained (SBD1006); the data, when there is some, must be verified if it was downloaded (SBD3001)."),
        (TrustRole.CopyFile, "Sink, write a file from another: the destination must be contained (SBD1006); the source file must be verified if it was downloaded (SBD3001)."),
        (TrustRole.Extract, "Sink, extract: the destination path must be contained (SBD1006); the archive must be verified if it was downloaded (SBD3001)."),
        (TrustRole.Load, "Sink, load: code loaded from downloaded data must be verified first (SBD3001)."),
        (TrustRole.Run, "Sink, run: a program run from a downloaded file must be verified first (SBD3001)."),
        (TrustRole.Deserialize, "Sink, deserialize: any member of the object graph may be null (SBD1009); given a reader, the result is untrusted."),
        (TrustRole.DeserializeAnyType, "Sink, deserialize any type: the content names the types created, so these are flagged whatever they read (SBD1001)."),
        (TrustRole.ResolveType, "Sink, resolve a type: a type name (or a type resolved from one) that chooses what is loaded and created, which must be checked against an allow-list first (SBD1011)."));

    /// <summary>
    /// Native verifiers: platform functions a program declares itself (<c>[DllImport]</c> or <c>[LibraryImport]</c>), matched by
    /// library and entry point, not by symbol. Each verifies the file its <c>Data</c> argument is made from (through the
    /// structures marshalled into it) where its result equals <c>Success</c>; a call whose result is not compared with it
    /// verifies nothing. Reading a signer certificate (<c>X509Certificate.CreateFromSignedFile</c>) is not among them: it
    /// neither checks the signature against the file's hash nor builds the chain.
    /// </summary>
    public static ImmutableArray<(string Library, string Function, int Data, int Success, string Note)> NativeVerifiers { get; } = ImmutableArray.Create(
        ("wintrust", "WinVerifyTrust", 2, 0, "Authenticode: the file named in the WINTRUST_DATA (its hash, signature and chain to a trusted root); 0 when trusted"),
        ("wintrust", "WinVerifyTrustEx", 2, 0, "Authenticode, as WinVerifyTrust; 0 when trusted"));

    /// <summary>
    /// A web server's request, matched by simple type name in any namespace (so a web framework's own request type is one
    /// when the framework itself is scanned, and ASP.NET's <c>HttpRequest</c> is one in an application): the type, or a type
    /// it derives from or implements, has one of these names (<see cref="Requests"/>).
    /// </summary>
    public static ImmutableArray<string> RequestTypes { get; } = ImmutableArray.Create("Request", "HttpRequest", "HttpRequestBase", "HttpListenerRequest");

    /// <summary>The properties of a request whose values the client sent, whatever their type: sources, as a stream's reads are.</summary>
    public static ImmutableArray<(string Member, string Note)> RequestMembers { get; } = ImmutableArray.Create(
        ("Cookies", "the cookies the client sent"),
        ("Headers", "the headers the client sent"),
        ("Form", "the form fields the client posted"),
        ("Query", "the query string the client sent"),
        ("QueryString", "the query string the client sent"));

    /// <summary>Method names that make a loop body cost memory or I/O per turn (<see cref="TrustRole.Loop"/>), besides object and array creation.</summary>
    public static ImmutableArray<string> LoopWork { get; } = ImmutableArray.Create("Read*", "Write*", "Add", "Append", "Send", "SendAsync", "Receive", "ReceiveAsync", "Enqueue", "Push");

    /// <summary>True when a call of this name makes a loop body cost memory or I/O (a syntax check: no symbol is bound).</summary>
    public static bool IsLoopWork(string name)
    {
        foreach (var work in LoopWork)
        {
            if (TrustEntry.Matches(work, name))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<TrustEntry> Sources()
    {
        TrustEntry Read(string type, string member) => new(TrustRole.Source, type, member, "returns content it reads");
        yield return Read("System.IO.Stream", "Read*");
        yield return Read("System.IO.Stream", "CopyTo*");
        yield return Read("System.IO.BinaryReader", "Read*");
        yield return Read("System.IO.TextReader", "Read*");
        yield return Read("System.Net.Sockets.Socket", "Receive*");
        yield return Read("System.Net.Http.HttpClient", "Get*");
        yield return Read("System.Net.Http.HttpClient", "Send*");
        yield return Read("System.Net.Http.HttpContent", "ReadAs*");
        yield return new(TrustRole.Source, "System.Net.Sockets.TcpClient", "GetStream", "returns a stream of what the peer sends");
        yield return new(TrustRole.Source, "System.Net.WebResponse", "GetResponseStream", "returns a stream of the response body");
        yield return Read("System.Net.WebClient", "Download*");
        yield return Read(File, "ReadAll*");
        yield return Read(File, "OpenRead*");
        yield return Read(File, "ReadLines*");
        yield return Read("System.IO.UnmanagedMemoryAccessor", "Read*");
        yield return Read("System.Runtime.InteropServices.Marshal", "PtrToStructure*");
        yield return Read("System.Runtime.InteropServices.Marshal", "Read*");
        yield return Read("System.Xml.XmlReader", "Read*");
        yield return Read("System.Xml.XmlReader", "GetAttribute*");
        yield return Read("System.IO.Compression.ZipArchiveEntry", "Open*");
        yield return Read("System.Formats.Tar.TarReader", "GetNextEntry*");
        yield return Read("Microsoft.VisualBasic.FileIO.TextFieldParser", "ReadFields*");
        yield return Read("Microsoft.VisualBasic.FileIO.TextFieldParser", "ReadLine*");

        yield return new(TrustRole.ContentName, "System.IO.Compression.ZipArchiveEntry", "FullName", "the entry's path, as the archive names it");
        yield return new(TrustRole.ContentName, "System.IO.Compression.ZipArchiveEntry", "Name", "the entry's file name, as the archive names it");
        yield return new(TrustRole.ContentName, "System.Formats.Tar.TarEntry", "Name", "the entry's path, as the archive names it");
        yield return new(TrustRole.ContentName, "System.Formats.Tar.TarEntry", "LinkName", "the link's target, as the archive names it");
        yield return new(TrustRole.ContentName, "ICSharpCode.SharpZipLib.Zip.ZipEntry", "Name", "the entry's path, as the archive names it (SharpZipLib)");
        yield return new(TrustRole.ContentName, "ICSharpCode.SharpZipLib.Tar.TarEntry", "Name", "the entry's path, as the archive names it (SharpZipLib)");
        yield return new(TrustRole.ContentName, "SharpCompress.Common.IEntry", "Key", "the entry's path, as the archive names it, on every SharpCompress entry type (SharpCompress)");
        yield return new(TrustRole.ContentName, "SharpCompress.Common.IEntry", "LinkTarget", "the link's target, as the archive names it (SharpCompress)");
        yield return new(TrustRole.ContentName, "Ionic.Zip.ZipEntry", "FileName", "the entry's path, as the archive names it (DotNetZip)");

        foreach (var reader in new[] { "System.IO.Stream", "System.IO.TextReader", "System.Xml.XmlReader", "Newtonsoft.Json.JsonReader" })
        {
            yield return new(TrustRole.ContentReader, reader, null, "a deserializer given one reads content");
        }

        foreach (var network in new[]
        {
            "System.Net.Http.HttpMessageInvoker", "System.Net.Http.HttpClient", "System.Net.Http.HttpContent", "System.Net.WebClient", "System.Net.WebResponse",
            "System.Net.Sockets.Socket", "System.Net.Sockets.NetworkStream", "System.Net.Sockets.TcpClient", "System.Net.Sockets.UdpClient", "System.Net.WebSockets.WebSocket",
        })
        {
            yield return new(TrustRole.Download, network, "*", "what it returns came over the network");
        }
    }

    private static IEnumerable<TrustEntry> Checks()
    {
        yield return new(TrustRole.Verifier, "System.Security.Cryptography.AsymmetricAlgorithm", "VerifyData", "verifies its first argument (RSA, ECDsa, DSA)") { Data = "#0" };
        yield return new(TrustRole.Verifier, "System.Security.Cryptography.AsymmetricAlgorithm", "VerifyHash", "verifies its first argument, and what that hash was computed from") { Data = "#0" };
        yield return new(TrustRole.Verifier, "System.Security.Cryptography.Pkcs.SignedCms", "CheckSignature", "with verifySignatureOnly: false; verifies the SignedCms and its content") { Data = TrustEntry.Receiver };
        yield return new(TrustRole.Verifier, "SecureByDesign.Updates.Model.TargetFile", "Verify", "length and hashes of a TUF target");
        yield return new(TrustRole.Verifier, "SecureByDesign.Updates.Crypto.SignatureVerifier", "Verify", "a signature by a TUF key");
        yield return new(TrustRole.Verdict, "System.Security.Cryptography.X509Certificates.X509Chain", "Build", "false when the chain does not build");
    }

    private static IEnumerable<TrustEntry> MemorySinks()
    {
        TrustEntry Range(string type, string buffer, string offset, string length) =>
            new(TrustRole.Slice, type, "*", "a range of the buffer") { Buffer = buffer, Offset = offset, Length = length };
        yield return Range("System.Span`1", TrustEntry.Receiver, "start", "length");
        yield return Range("System.ReadOnlySpan`1", TrustEntry.Receiver, "start", "length");
        yield return Range("System.Memory`1", TrustEntry.Receiver, "start", "length");
        yield return Range("System.ReadOnlyMemory`1", TrustEntry.Receiver, "start", "length");
        yield return Range("System.ArraySegment`1", TrustEntry.Receiver, "index", "count");
        yield return Range("System.String", TrustEntry.Receiver, "startIndex", "length");
        yield return Range("System.MemoryExtensions", "array", "start", "length");
        yield return Range("System.MemoryExtensions", "text", "start", "length");
        yield return Range("System.Text.Encoding", "bytes", "index", "count");
        yield return Range("System.IO.Stream", "buffer", "offset", "count");
        yield return Range("System.Array", "sourceArray", "sourceIndex", "length");
        yield return Range("System.Array", "destinationArray", "destinationIndex", "length");
        yield return Range("System.Buffer", "src", "srcOffset", "count");
        yield return Range("System.Buffer", "dst", "dstOffset", "count");
        yield return Range("System.Runtime.InteropServices.Marshal", "source", "startIndex", "length");
        yield return Range("System.Runtime.InteropServices.Marshal", "destination", "startIndex", "length");

        yield return new(TrustRole.Index, "System.Runtime.InteropServices.Marshal", "*", "an offset from a pointer") { Offset = "ofs" };
        yield return new(TrustRole.Index, "System.Runtime.CompilerServices.Unsafe", "*", "an offset from a reference") { Offset = "elementOffset" };
        yield return new(TrustRole.Index, "System.Runtime.CompilerServices.Unsafe", "*", "an offset from a reference") { Offset = "byteOffset" };
        yield return new(TrustRole.Index, "System.Runtime.InteropServices.MemoryMarshal", "*", "a length no buffer bounds") { Offset = "length" };

        const string MemoryMarshal = "System.Runtime.InteropServices.MemoryMarshal";
        const string Unsafe = "System.Runtime.CompilerServices.Unsafe";
        yield return new(TrustRole.BufferStart, MemoryMarshal, "GetReference", "the span's first element") { Buffer = "span" };
        yield return new(TrustRole.BufferStart, MemoryMarshal, "GetArrayDataReference", "the array's first element") { Buffer = "array" };
        yield return new(TrustRole.BufferStart, "System.Span`1", "GetPinnableReference", "the span's first element") { Buffer = TrustEntry.Receiver };
        yield return new(TrustRole.BufferStart, "System.ReadOnlySpan`1", "GetPinnableReference", "the span's first element") { Buffer = TrustEntry.Receiver };
        foreach (var read in new[] { "ReadUnaligned", "Read", "As", "AsRef" })
        {
            yield return new(TrustRole.Reinterpret, Unsafe, read, "reads a T (TTo for As) at the reference or pointer") { Data = "source" };
        }

        foreach (var write in new[] { "WriteUnaligned", "Write" })
        {
            yield return new(TrustRole.Reinterpret, Unsafe, write, "writes a T at the reference or pointer") { Data = "destination" };
        }

        yield return new(TrustRole.Allocate, "System.Buffers.ArrayPool`1", "Rent", "an array of at least the size") { AtLeast = true };
        yield return new(TrustRole.Allocate, "System.Buffers.IBufferWriter`1", "GetSpan", "a span of at least the size hint") { Size = "sizeHint", AtLeast = true, Hint = true };
        yield return new(TrustRole.Allocate, "System.Buffers.IBufferWriter`1", "GetMemory", "a memory of at least the size hint") { Size = "sizeHint", AtLeast = true, Hint = true };
        yield return new(TrustRole.Allocate, "System.GC", "AllocateUninitializedArray", "an array of the size") { Exact = true };
        yield return new(TrustRole.Allocate, "System.GC", "AllocateArray", "an array of the size") { Exact = true };
        yield return new(TrustRole.Allocate, "System.Security.Cryptography.DeriveBytes", "GetBytes", "an array of the count (a derived key)") { Exact = true };
        yield return new(TrustRole.Allocate, "System.IO.BinaryReader", "ReadBytes", "an array of the count");
        yield return new(TrustRole.Allocate, "System.IO.BinaryReader", "ReadChars", "an array of the count");
        yield return new(TrustRole.Allocate, "System.Array", "Resize", "an array of the new size");
        foreach (var collection in new[] { "System.Collections.Generic.List`1", "System.Collections.Generic.HashSet`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1", "System.Text.StringBuilder", "System.IO.MemoryStream" })
        {
            yield return new(TrustRole.Allocate, collection, TrustEntry.Constructor, "storage for the capacity") { Size = "capacity" };
        }

        yield return new(TrustRole.Allocate, "System.String", TrustEntry.Constructor, "a string of the count") { Size = "count" };

        yield return new(TrustRole.ReadWhole, "System.IO.TextReader", "ReadToEnd*", "all the reader holds") { Data = TrustEntry.Receiver };
        yield return new(TrustRole.ReadWhole, "System.IO.Stream", "CopyTo*", "all the stream holds, when copied into a MemoryStream") { Data = TrustEntry.Receiver };
        yield return new(TrustRole.ReadWhole, "System.Net.Http.HttpContent", "ReadAsByteArrayAsync", "all the response holds") { Data = TrustEntry.Receiver };
        yield return new(TrustRole.ReadWhole, "System.Net.Http.HttpContent", "ReadAsStringAsync", "all the response holds") { Data = TrustEntry.Receiver };
        yield return new(TrustRole.ReadWhole, "System.Text.Json.JsonDocument", "Parse", "all the stream holds, when given a stream") { Data = "#0" };
        yield return new(TrustRole.ReadWhole, "System.Text.Json.JsonDocument", "ParseAsync", "all the stream holds, when given a stream") { Data = "#0" };
    }

    private static IEnumerable<TrustEntry> FileSinks()
    {
        TrustEntry Write(string type, string member, string path, string? data = null) =>
            new(TrustRole.WriteFile, type, member, data is null ? "creates or opens for writing" : "writes the data") { Path = path, Data = data };
        yield return Write(File, "Create", "path");
        yield return Write(File, "CreateText", "path");
        yield return Write(File, "AppendText", "path");
        yield return Write(File, "OpenWrite", "path");
        yield return Write(File, "Open", "path");
        yield return Write(File, "WriteAll*", "path", "#1");
        yield return Write(File, "AppendAll*", "path", "#1");
        yield return Write("System.IO.Directory", "CreateDirectory", "path");
        yield return Write("System.IO.Directory", "Move", "destDirName");
        yield return Write("System.IO.FileStream", TrustEntry.Constructor, "path");
        yield return Write("System.IO.StreamWriter", TrustEntry.Constructor, "path");

        TrustEntry Copy(string member, string path) => new(TrustRole.CopyFile, File, member, "the file at the source path, to the path") { Path = path, Data = "sourceFileName" };
        yield return Copy("Copy", "destFileName");
        yield return Copy("Move", "destFileName");
        yield return Copy("Replace", "destinationFileName");

        yield return new(TrustRole.Extract, Zip, "ExtractToFile", "an entry, to the path") { Path = "destinationFileName" };
        yield return new(TrustRole.Extract, "System.Formats.Tar.TarEntry", "ExtractToFile", "an entry, to the path") { Path = "destinationFileName" };
        yield return new(TrustRole.Extract, "SharpCompress.Archives.IArchiveEntryExtensions", "WriteToFile", "an entry, to the path (SharpCompress)") { Path = "destinationFileName" };
        yield return new(TrustRole.Extract, "SharpCompress.Readers.IReaderExtensions", "WriteEntryToFile", "the reader's entry, to the path (SharpCompress)") { Path = "destinationFileName" };
        yield return new(TrustRole.Extract, "System.IO.Compression.ZipFile", "ExtractToDirectory", "an archive file (each entry's path is checked by the framework)") { Data = "#0" };
        yield return new(TrustRole.Extract, Zip, "ExtractToDirectory", "an archive (each entry's path is checked by the framework)") { Data = "#0" };
    }

    private static IEnumerable<TrustEntry> CodeSinks()
    {
        foreach (var load in new[] { "Load", "LoadFrom", "LoadFile", "UnsafeLoadFrom" })
        {
            yield return new(TrustRole.Load, "System.Reflection.Assembly", load, "loads an assembly") { Data = "#0" };
        }

        foreach (var load in new[] { "LoadFromAssemblyPath", "LoadFromStream", "LoadFromNativeImagePath" })
        {
            yield return new(TrustRole.Load, "System.Runtime.Loader.AssemblyLoadContext", load, "loads an assembly") { Data = "#0" };
        }

        yield return new(TrustRole.Run, "System.Diagnostics.Process", "Start", "runs the program the string names") { Data = "#0" };
        yield return new(TrustRole.Run, "System.Diagnostics.ProcessStartInfo", TrustEntry.Constructor, "names the program to run") { Data = "#0" };
        yield return new(TrustRole.Run, "System.Diagnostics.ProcessStartInfo", "FileName", "names the program to run");

        yield return new(TrustRole.Deserialize, "System.Text.Json.JsonSerializer", "Deserialize", "an object graph; any member may be null");
        yield return new(TrustRole.Deserialize, "System.Text.Json.JsonSerializer", "DeserializeAsync", "an object graph; any member may be null");
        yield return new(TrustRole.Deserialize, "Newtonsoft.Json.JsonSerializer", "Deserialize", "an object graph; any member may be null");
        yield return new(TrustRole.Deserialize, "Newtonsoft.Json.JsonConvert", "DeserializeObject", "an object graph; any member may be null");
        yield return new(TrustRole.Deserialize, "System.Xml.Serialization.XmlSerializer", "Deserialize", "an object graph; any member may be null");

        foreach (var formatter in new[]
        {
            "System.Runtime.Serialization.Formatters.Binary.BinaryFormatter", "System.Runtime.Serialization.Formatters.Soap.SoapFormatter",
            "System.Runtime.Serialization.NetDataContractSerializer", "System.Web.UI.LosFormatter", "System.Web.UI.ObjectStateFormatter",
        })
        {
            foreach (var member in new[] { "Deserialize", "UnsafeDeserialize", "UnsafeDeserializeMethodResponse", "ReadObject" })
            {
                yield return new(TrustRole.DeserializeAnyType, formatter, member, "creates the types the content names");
            }
        }

        TrustEntry Resolve(string type, string member, string name, string note) => new(TrustRole.ResolveType, type, member, note) { Data = name };
        yield return Resolve("System.Type", "GetType", "typeName", "resolves the type the name names, loading its assembly");
        yield return Resolve("System.Reflection.Assembly", "GetType", "name", "resolves the type the name names");
        yield return Resolve("System.Reflection.Assembly", "CreateInstance", "typeName", "creates an instance of the type the name names");
        foreach (var member in new[] { "CreateInstance", "CreateInstanceFrom" })
        {
            yield return Resolve("System.Activator", member, "typeName", "creates an instance of the type the name names");
        }

        yield return Resolve("System.Activator", "CreateInstance", "type", "creates an instance of the type");
        foreach (var member in new[] { "CreateInstance", "CreateInstanceAndUnwrap", "CreateInstanceFrom", "CreateInstanceFromAndUnwrap" })
        {
            yield return Resolve("System.AppDomain", member, "typeName", "creates an instance of the type the name names");
        }
    }
}
