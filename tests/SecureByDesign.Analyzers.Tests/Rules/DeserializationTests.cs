using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.DeserializationAnalyzer,
    SecureByDesign.Analyzers.DeserializationFixer>;

namespace SecureByDesign.Analyzers.Tests.Rules;

public class DeserializationTests
{
    // The .NET Framework formatters are not in the .NET 8 reference assemblies; the rule matches them by
    // full name, so a declaration with the same name stands in for them.
    private const string FrameworkFormatters = """

        namespace System.Runtime.Serialization.Formatters.Soap
        {
            public sealed class SoapFormatter { public object Deserialize(System.IO.Stream s) => null; }
        }
        namespace System.Runtime.Serialization
        {
            public sealed class NetDataContractSerializer { public object ReadObject(System.IO.Stream s) => null; }
        }
        namespace System.Web.UI
        {
            public sealed class LosFormatter { public object Deserialize(string s) => null; }
            public sealed class ObjectStateFormatter { public object Deserialize(string s) => null; }
        }
        namespace System.Web.Script.Serialization
        {
            public abstract class JavaScriptTypeResolver { }
            public sealed class SimpleTypeResolver : JavaScriptTypeResolver { }
            public sealed class JavaScriptSerializer
            {
                public JavaScriptSerializer() { }
                public JavaScriptSerializer(JavaScriptTypeResolver resolver) { }
            }
        }
        """;

    [Fact]
    public async Task BinaryFormatterDeserialize_IsFlagged()
    {
        const string source = """
            using System.IO;
            using System.Runtime.Serialization.Formatters.Binary;

            class Loader
            {
                object Load(Stream content)
                {
            #pragma warning disable SYSLIB0011
                    var formatter = new BinaryFormatter();
                    return {|#0:formatter.Deserialize(content)|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments(
                "BinaryFormatter.Deserialize",
                "the content of 'content'",
                "use a serializer bound to known types (System.Text.Json, or DataContractSerializer with known types)"));
    }

    [Fact]
    public async Task BinaryFormatterThroughDerivedReceiverCast_IsFlagged()
    {
        const string source = """
            using System.IO;
            using System.Runtime.Serialization.Formatters.Binary;

            class Loader
            {
            #pragma warning disable SYSLIB0011
                object Load(Stream content) => {|#0:((BinaryFormatter)Create()).Deserialize(content)|};
                object Create() => new BinaryFormatter();
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "BinaryFormatter.Deserialize", "the content of 'content'", "use a serializer bound to known types (System.Text.Json, or DataContractSerializer with known types)"));
    }

    [Fact]
    public async Task FrameworkFormatters_AreFlagged()
    {
        var source = """
            using System.IO;
            using System.Runtime.Serialization;
            using System.Runtime.Serialization.Formatters.Soap;
            using System.Web.UI;

            class Loader
            {
                void Load(Stream content, string state)
                {
                    {|#0:new SoapFormatter().Deserialize(content)|};
                    {|#1:new NetDataContractSerializer().ReadObject(content)|};
                    {|#2:new LosFormatter().Deserialize(state)|};
                    {|#3:new ObjectStateFormatter().Deserialize(state)|};
                }
            }
            """ + FrameworkFormatters;

        const string advice = "use a serializer bound to known types (System.Text.Json, or DataContractSerializer with known types)";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("SoapFormatter.Deserialize", "the content of 'content'", advice),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("NetDataContractSerializer.ReadObject", "the content of 'content'", advice),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("LosFormatter.Deserialize", "the content of 'state'", advice),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("ObjectStateFormatter.Deserialize", "the content of 'state'", advice));
    }

    [Fact]
    public async Task JavaScriptSerializerWithTypeResolver_IsFlagged()
    {
        var source = """
            using System.Web.Script.Serialization;

            class Loader
            {
                object Make() => {|#0:new JavaScriptSerializer(new SimpleTypeResolver())|};
            }
            """ + FrameworkFormatters;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "JavaScriptSerializer with the type resolver 'new SimpleTypeResolver()'", "the '__type' field of the JSON", "construct it without a type resolver"));
    }

    [Fact]
    public async Task JavaScriptSerializerWithoutResolverOrWithNull_IsQuiet()
    {
        var source = """
            using System.Web.Script.Serialization;

            class Loader
            {
                object Make() => new JavaScriptSerializer();
                object MakeNull() => new JavaScriptSerializer(null);
            }
            """ + FrameworkFormatters;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task SafeSerializers_AreQuiet()
    {
        const string source = """
            using System.IO;
            using System.Runtime.Serialization;
            using System.Text.Json;

            class Rule { public string Name { get; set; } }

            class Loader
            {
                Rule Load(Stream content) => JsonSerializer.Deserialize<Rule>(content);
                object LoadContract(Stream content) => new DataContractSerializer(typeof(Rule)).ReadObject(content);
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandlingAuto_IsFlagged()
    {
        const string source = """
            using Newtonsoft.Json;

            class Loader
            {
                JsonSerializerSettings Settings() => new JsonSerializerSettings { TypeNameHandling = {|#0:TypeNameHandling.Auto|} };
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Newtonsoft, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "Newtonsoft.Json TypeNameHandling = TypeNameHandling.Auto", "the '$type' field of the JSON", "set TypeNameHandling.None and deserialize into known types"));
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandlingFromConfigurationOrAttribute_IsFlagged()
    {
        const string source = """
            using System;
            using Newtonsoft.Json;

            class Rule
            {
                [JsonProperty(ItemTypeNameHandling = {|#1:TypeNameHandling.Objects|})]
                public object[] Items { get; set; }
            }

            class Loader
            {
                private TypeNameHandling handling;

                void Configure(JsonSerializer serializer, JsonSerializerSettings settings, string configured)
                {
                    serializer.TypeNameHandling = {|#0:Enum.Parse<TypeNameHandling>(configured)|};
                    settings.TypeNameHandling = {|#2:handling|};
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Newtonsoft,
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Newtonsoft.Json ItemTypeNameHandling = TypeNameHandling.Objects", "the '$type' field of the JSON", "set TypeNameHandling.None and deserialize into known types"),
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Newtonsoft.Json TypeNameHandling = Enum.Parse<TypeNameHandling>(configured)", "the '$type' field of the JSON", "set TypeNameHandling.None and deserialize into known types"),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("Newtonsoft.Json TypeNameHandling = handling", "the '$type' field of the JSON", "set TypeNameHandling.None and deserialize into known types"));
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandlingForwarded_IsQuiet_TheConstantPassedInIsFlagged()
    {
        // A wrapper that copies one settings object into another, a setter and a method that store what they are given:
        // plumbing. The value is flagged where it was chosen: the constant passed in, or assigned to the wrapper.
        const string source = """
            using Newtonsoft.Json;

            class SerializerOptions
            {
                private readonly JsonSerializerSettings settings = new JsonSerializerSettings();

                public TypeNameHandling Handling
                {
                    get => settings.TypeNameHandling;
                    set => settings.TypeNameHandling = value;
                }

                public JsonSerializer Create(JsonSerializerSettings defaults)
                {
                    var serializer = JsonSerializer.Create(defaults);
                    serializer.TypeNameHandling = defaults.TypeNameHandling;
                    serializer.TypeNameHandling = settings.TypeNameHandling;
                    return serializer;
                }

                public void Apply(JsonSerializer serializer, TypeNameHandling handling) => serializer.TypeNameHandling = handling;
            }

            class Loader
            {
                void Configure(SerializerOptions options, JsonSerializer serializer)
                {
                    options.Handling = {|#0:TypeNameHandling.Auto|};
                    options.Apply(serializer, {|#1:TypeNameHandling.Objects|});
                    options.Apply(serializer, TypeNameHandling.None);
                }
            }
            """;

        const string advice = "set TypeNameHandling.None and deserialize into known types";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Newtonsoft,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Newtonsoft.Json Handling = TypeNameHandling.Auto", "the '$type' field of the JSON", advice),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Newtonsoft.Json TypeNameHandling.Objects, passed as 'handling',", "the '$type' field of the JSON", advice));
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandlingBackingFieldsAndChoicesAmongSettings_AreQuiet_AConstantAmongThemIsFlagged()
    {
        // An attribute's backing field copied onto a contract, and one setting falling back to another: plumbing. A
        // constant among the choices, and configuration stored in a backing field, are chosen there and flagged.
        const string source = """
            using System;
            using Newtonsoft.Json;
            using Newtonsoft.Json.Serialization;

            class MemberAttribute : Attribute
            {
                internal TypeNameHandling? _typeNameHandling;
                public TypeNameHandling TypeNameHandling { get => _typeNameHandling ?? default; set => _typeNameHandling = value; }
                public void Load(string configured) => _typeNameHandling = {|#1:Enum.Parse<TypeNameHandling>(configured)|};
            }

            class Defaults
            {
                private readonly TypeNameHandling _typeNameHandling = TypeNameHandling.All;
                private const TypeNameHandling _itemTypeNameHandling = TypeNameHandling.Objects;
                private readonly TypeNameHandling? typeNameHandling = null;

                JsonSerializerSettings Settings() => new JsonSerializerSettings
                {
                    TypeNameHandling = {|#2:_typeNameHandling|},
                };

                void Items(JsonProperty property)
                {
                    property.ItemTypeNameHandling = {|#3:_itemTypeNameHandling|};
                    property.TypeNameHandling = typeNameHandling;
                }
            }

            class Resolver : DefaultContractResolver
            {
                void Copy(JsonProperty property, JsonProperty inherited, MemberAttribute attribute, bool own)
                {
                    property.TypeNameHandling = attribute._typeNameHandling;
                    property.TypeNameHandling = property.TypeNameHandling ?? inherited.TypeNameHandling;
                    property.ItemTypeNameHandling = own ? attribute._typeNameHandling : null;
                    property.TypeNameHandling = {|#0:property.TypeNameHandling ?? TypeNameHandling.Auto|};
                }
            }
            """;

        const string advice = "set TypeNameHandling.None and deserialize into known types";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Newtonsoft,
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Newtonsoft.Json _typeNameHandling = Enum.Parse<TypeNameHandling>(configured)", "the '$type' field of the JSON", advice),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("Newtonsoft.Json TypeNameHandling = _typeNameHandling", "the '$type' field of the JSON", advice),
            VerifyCS.Diagnostic().WithLocation(3).WithArguments("Newtonsoft.Json ItemTypeNameHandling = _itemTypeNameHandling", "the '$type' field of the JSON", advice),
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Newtonsoft.Json TypeNameHandling = property.TypeNameHandling ?? TypeNameHandling.Auto", "the '$type' field of the JSON", advice));
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandlingConstantPassedToAMethodThatOnlyTestsIt_IsQuiet_OneThatAlsoStoresItIsFlagged()
    {
        // A writer asking whether the resolved setting includes a flag: the constant is a question. A method that tests
        // the value and then stores it, or a virtual one an override may store from, sets it.
        const string source = """
            using Newtonsoft.Json;

            class Writer
            {
                private readonly JsonSerializer serializer = new JsonSerializer();

                bool ShouldWriteType(TypeNameHandling flag, TypeNameHandling? member) =>
                    HasFlag(member ?? serializer.TypeNameHandling, flag) || (flag == TypeNameHandling.Auto && member is null);

                static bool HasFlag(TypeNameHandling value, TypeNameHandling flag) => (value & flag) == flag;

                bool Enabled(TypeNameHandling flag) => serializer.TypeNameHandling.HasFlag(flag);

                void Store(TypeNameHandling handling)
                {
                    if (handling != TypeNameHandling.None)
                    {
                        serializer.TypeNameHandling = handling;
                    }
                }

                protected virtual bool Asks(TypeNameHandling flag) => flag == TypeNameHandling.All;

                void Bound(TypeNameHandling h)
                {
                    if (h is var chosen)
                    {
                        Store(chosen);
                    }
                }

                void Write(TypeNameHandling? member)
                {
                    var objects = ShouldWriteType(TypeNameHandling.Objects, member);
                    var auto = HasFlag(serializer.TypeNameHandling, TypeNameHandling.Auto) || Enabled(TypeNameHandling.Arrays);
                    Store({|#0:TypeNameHandling.Objects|});
                    Asks({|#1:TypeNameHandling.All|});
                    Bound({|#2:TypeNameHandling.Auto|});
                }
            }
            """;

        const string advice = "set TypeNameHandling.None and deserialize into known types";
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Newtonsoft,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Newtonsoft.Json TypeNameHandling.Objects, passed as 'handling',", "the '$type' field of the JSON", advice),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Newtonsoft.Json TypeNameHandling.All, passed as 'flag',", "the '$type' field of the JSON", advice),
            VerifyCS.Diagnostic().WithLocation(2).WithArguments("Newtonsoft.Json TypeNameHandling.Auto, passed as 'h',", "the '$type' field of the JSON", advice));
    }

    [Fact]
    public async Task NewtonsoftNullableTypeNameHandlingOnContracts_IsFlaggedUnlessNoneOrNull()
    {
        const string source = """
            using Newtonsoft.Json;
            using Newtonsoft.Json.Serialization;

            class Resolver : DefaultContractResolver
            {
                void Configure(JsonProperty property, JsonProperty other, JsonProperty third)
                {
                    property.TypeNameHandling = {|#0:TypeNameHandling.All|};
                    other.TypeNameHandling = null;
                    third.ItemTypeNameHandling = TypeNameHandling.None;
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Newtonsoft, VerifyCS.Diagnostic().WithLocation(0).WithArguments(
            "Newtonsoft.Json TypeNameHandling = TypeNameHandling.All", "the '$type' field of the JSON", "set TypeNameHandling.None and deserialize into known types"));
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandlingNone_IsQuiet()
    {
        const string source = """
            using Newtonsoft.Json;

            class Rule
            {
                [JsonProperty(TypeNameHandling = TypeNameHandling.None)]
                public object Item { get; set; }
            }

            class Loader
            {
                JsonSerializerSettings Settings() => new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None };
                Rule Load(string json) => JsonConvert.DeserializeObject<Rule>(json);
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Newtonsoft);
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandling_FixSetsNone()
    {
        const string source = """
            using Newtonsoft.Json;

            class Loader
            {
                JsonSerializerSettings Settings() => new JsonSerializerSettings { TypeNameHandling = {|#0:TypeNameHandling.All|} };
            }
            """;
        const string fixedSource = """
            using Newtonsoft.Json;

            class Loader
            {
                JsonSerializerSettings Settings() => new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None };
            }
            """;

        await VerifyCS.VerifyCodeFixAsync(
            source,
            [VerifyCS.Diagnostic().WithLocation(0).WithArguments("Newtonsoft.Json TypeNameHandling = TypeNameHandling.All", "the '$type' field of the JSON", "set TypeNameHandling.None and deserialize into known types")],
            fixedSource,
            VerifyCS.Newtonsoft);
    }

    [Fact]
    public async Task NewtonsoftTypeNameHandling_FixAllSetsNoneEverywhere()
    {
        const string source = """
            using Newtonsoft.Json;

            class Loader
            {
                void Configure(JsonSerializer serializer, JsonSerializerSettings settings)
                {
                    serializer.TypeNameHandling = {|#0:TypeNameHandling.Auto|};
                    settings.TypeNameHandling = {|#1:TypeNameHandling.Objects|};
                }
            }
            """;
        const string fixedSource = """
            using Newtonsoft.Json;

            class Loader
            {
                void Configure(JsonSerializer serializer, JsonSerializerSettings settings)
                {
                    serializer.TypeNameHandling = TypeNameHandling.None;
                    settings.TypeNameHandling = TypeNameHandling.None;
                }
            }
            """;

        const string advice = "set TypeNameHandling.None and deserialize into known types";
        await VerifyCS.VerifyFixAllAsync(
            source,
            [
                VerifyCS.Diagnostic().WithLocation(0).WithArguments("Newtonsoft.Json TypeNameHandling = TypeNameHandling.Auto", "the '$type' field of the JSON", advice),
                VerifyCS.Diagnostic().WithLocation(1).WithArguments("Newtonsoft.Json TypeNameHandling = TypeNameHandling.Objects", "the '$type' field of the JSON", advice),
            ],
            fixedSource,
            VerifyCS.Newtonsoft);
    }
}
