using Microsoft.CodeAnalysis;
using SecureByDesign.Analyzers.Trust;

namespace SecureByDesign.Analyzers.Tests.Trust;

/// <summary>
/// The catalog as the rules see it: framework members matched by symbol along base types (not by a type's simple name),
/// the update library's verifiers by name, and the methods .editorconfig adds as validators and verifiers.
/// </summary>
public class TrustCatalogTests
{
    private const string Validators = "secure_by_design.content_validators";
    private const string Verifiers = "secure_by_design.update_verifiers";

    [Fact]
    public async Task Members_AreMatchedBySymbol_AlongBaseTypes_NotByTheTypesSimpleName()
    {
        const string source = """
            namespace Vendor
            {
                public class Stream { public int Read() => 0; }
                public class Counted : System.IO.MemoryStream { public int ReadCount() => 0; }
            }

            namespace SecureByDesign.Updates.Vendor
            {
                public static class Checks { public static bool VerifyAnything(byte[] data) => true; }
            }
            """;
        var compilation = await Compilations.CreateAsync(source);
        var trust = TrustModel.For(compilation);

        Assert.Null(trust.Find(Method(compilation, "Vendor.Stream", "Read"), TrustRole.Source));
        Assert.NotNull(trust.Find(Method(compilation, "Vendor.Counted", "ReadCount"), TrustRole.Source));
        Assert.Equal("System.IO.Stream", trust.Find(Method(compilation, "Vendor.Counted", "ReadCount"), TrustRole.Source)!.Type);
        Assert.Null(trust.Find(Method(compilation, "SecureByDesign.Updates.Vendor.Checks", "VerifyAnything"), TrustRole.Verifier));
        Assert.NotNull(trust.Find(Method(compilation, "System.Security.Cryptography.RSA", "VerifyData"), TrustRole.Verifier));
    }

    [Fact]
    public async Task Constructors_MatchOnlyTheirOwnType()
    {
        const string source = """
            class Pool : System.Collections.Generic.List<int>
            {
                public Pool(int capacity) { }
            }
            """;
        var compilation = await Compilations.CreateAsync(source);
        var trust = TrustModel.For(compilation);
        var list = (INamedTypeSymbol)compilation.GetTypeByMetadataName("System.Collections.Generic.List`1")!;

        Assert.Null(trust.Find(compilation.GetTypeByMetadataName("Pool")!.InstanceConstructors[0], TrustRole.Allocate));
        Assert.Equal("capacity", trust.Find(list.InstanceConstructors.First(c => c.Parameters.Length == 1 && c.Parameters[0].Type.SpecialType == SpecialType.System_Int32), TrustRole.Allocate)!.Size);
    }

    [Fact]
    public async Task ConfiguredValidator_ChecksItsArgument_AsContentValidatorDoes()
    {
        const string source = """
            using System.IO;

            class Reader
            {
                int Run(BinaryReader reader, int[] table)
                {
                    var index = reader.ReadInt32();
                    Vendor.Checks.Index(index, table.Length);
                    return table[index];
                }
            }

            namespace Vendor
            {
                static class Checks { public static void Index(int index, int length) { if ((uint)index >= (uint)length) throw new InvalidDataException(); } }
            }
            """;

        Assert.Equal(["SBD2001"], await IdsAsync(source, null));
        Assert.Empty(await IdsAsync(source, (Validators, "M:Vendor.Checks.Index")));
    }

    [Fact]
    public async Task ConfiguredVerifier_VerifiesItsArguments_AsUpdateVerifierDoes()
    {
        const string source = """
            using System.IO;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Updater
            {
                async Task Apply(HttpClient client, string path)
                {
                    var package = await client.GetByteArrayAsync("https://updates.example.com/agent.zip");
                    if (!Vendor.Signatures.Check(package)) throw new InvalidDataException();
                    File.WriteAllBytes(path, package);
                }
            }

            namespace Vendor
            {
                static class Signatures { public static bool Check(byte[] data) => data.Length > 0; }
            }
            """;

        Assert.Equal(["SBD3001"], await IdsAsync(source, null));
        Assert.Empty(await IdsAsync(source, (Verifiers, "T:Vendor.Signatures")));
    }

    private static IMethodSymbol Method(Compilation compilation, string type, string name) =>
        compilation.GetTypeByMetadataName(type)!.GetMembers(name).OfType<IMethodSymbol>().First();

    private static async Task<List<string>> IdsAsync(string source, (string Key, string Value)? setting)
    {
        var compilation = await Compilations.CreateAsync(source);
        var options = new TreeOptions(new() { ["Source0.cs"] = setting is { } s ? new() { [s.Key] = s.Value } : new() });
        var (diagnostics, exceptions) = await Compilations.AnalyzeAsync(compilation, Catalog.Analyzers, options, concurrent: true);
        Assert.Empty(exceptions);
        return diagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToList();
    }
}
