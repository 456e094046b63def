using Microsoft.CodeAnalysis.Testing;
using VerifyCS = SecureByDesign.Analyzers.Tests.Verifier<
    SecureByDesign.Analyzers.ContentTypeAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace SecureByDesign.Analyzers.Tests.Rules;

/// <summary>
/// SBD1011 inside a web framework: what the client sent (a request's cookies, headers, form fields) handed to the
/// framework's object serializer, whose implementation decodes it, parses it into a <c>dynamic</c> document and resolves
/// the type the document names, through the runtime binder.
/// </summary>
public class ContentTypeRequestTests
{
    private const string ByName = "resolves the type the name names, loading its assembly";

    /// <summary>The framework's request and context, a small JSON parser of its own (its result given through an out argument), and a serializer interface.</summary>
    private const string Framework = """

        public class Request
        {
            public string Method { get; set; }
            public IDictionary<string, string> Cookies { get; } = new Dictionary<string, string>();
            public IDictionary<string, IEnumerable<string>> Headers { get; } = new Dictionary<string, IEnumerable<string>>();
            public dynamic Form { get; set; }
        }

        public class Response
        {
            public IDictionary<string, string> Cookies { get; } = new Dictionary<string, string>();
        }

        public class Context
        {
            public Request Request { get; set; }
            public Response Response { get; set; }
        }

        public static class Json
        {
            public static object Parse(string json)
            {
                object value;
                if (TryParse(json, out value))
                    return value;
                throw new FormatException("Invalid JSON");
            }

            public static bool TryParse(string json, out object value)
            {
                var index = 0;
                value = ParseValue(json.ToCharArray(), ref index);
                return value != null;
            }

            private static object ParseValue(char[] text, ref int index)
            {
                var fields = new Dictionary<string, object>();
                var start = index;
                while (index < text.Length && text[index] != '}') index++;
                fields["TypeName"] = new string(text, start, index - start);
                return fields;
            }

            public static object Parse(string json, Type type) => Activator.CreateInstance(type);
        }

        public interface IObjectSerializer
        {
            string Serialize(object value);
            object Deserialize(string text);
        }
        """;

    [Fact]
    public async Task CookieHandedToASerializer_ThatResolvesTheTypeItsDocumentNames_IsFlagged()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;

            public sealed class TypedSerializer : IObjectSerializer
            {
                public string Serialize(object value) =>
                    Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"TypeName\":\"" + value.GetType().AssemblyQualifiedName + "\"}"));

                public object Deserialize(string text)
                {
                    if (string.IsNullOrEmpty(text))
                    {
                        return null;
                    }

                    var bytes = Convert.FromBase64String(text);
                    var json = Encoding.UTF8.GetString(bytes);
                    dynamic document = Json.Parse(json);
                    return Json.Parse(json, Type.GetType(document.TypeName));
                }
            }

            public static class Tokens
            {
                public static IObjectSerializer Serializer = new TypedSerializer();

                public static object FromCookie(Context context)
                {
                    if (context.Request.Cookies.ContainsKey("token"))
                    {
                        var cookie = context.Request.Cookies["token"];
                        return {|#0:Serializer.Deserialize(cookie)|};
                    }

                    return null;
                }

                public static object FromRequest(Request request)
                {
                    string cookie;
                    if (request.Cookies.TryGetValue("token", out cookie))
                    {
                        return {|#1:Serializer.Deserialize(cookie)|};
                    }

                    var posted = request.Form["token"].Value ?? request.Headers["X-Token"].FirstOrDefault();
                    return posted != null ? {|#2:Serializer.Deserialize(posted)|} : null;
                }

                public static object OwnToken() => Serializer.Deserialize(Serializer.Serialize(new object()));

                public static object FromResponse(Context context) => Serializer.Deserialize(context.Response.Cookies["token"]);

                public static object FromMethod(Request request) => Serializer.Deserialize(request.Method);
            }
            """ + Framework;

        const string through = "passes it to 'Type.GetType(document.TypeName)', which " + ByName;
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithSpan(21, 33, 21, 64).WithArguments("Type name 'cookie'", "Request.Cookies (line 33)", "Serializer.Deserialize(cookie)", through),
            VerifyCS.Diagnostic().WithLocation(1).WithSpan(21, 33, 21, 64).WithArguments("Type name 'cookie'", "Request.Cookies (line 43)", "Serializer.Deserialize(cookie)", through),
            VerifyCS.Diagnostic().WithLocation(2).WithSpan(21, 33, 21, 64).WithArguments("Type name 'posted'", "Request.Form (line 48)", "Serializer.Deserialize(posted)", through));
    }

    [Fact]
    public async Task CookieHandedToASerializer_ThatChecksTheNameOrResolvesAConstant_IsQuiet()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Text;

            public sealed class KnownTypesSerializer : IObjectSerializer
            {
                private static readonly HashSet<string> Known = new() { "Tokens.CsrfToken, Tokens" };

                public string Serialize(object value) => value.ToString();

                public object Deserialize(string text)
                {
                    var json = Encoding.UTF8.GetString(Convert.FromBase64String(text));
                    dynamic document = Json.Parse(json);
                    string typeName = document.TypeName;
                    if (!Known.Contains(typeName))
                    {
                        throw new FormatException("Unknown type " + typeName);
                    }

                    return Json.Parse(json, Type.GetType(typeName));
                }
            }

            public sealed class TokenSerializer : IObjectSerializer
            {
                public string Serialize(object value) => value.ToString();

                public object Deserialize(string text)
                {
                    var json = Encoding.UTF8.GetString(Convert.FromBase64String(text));
                    dynamic document = Json.Parse(json);
                    return document.Kind == "token" ? Json.Parse(json, Type.GetType("Tokens.CsrfToken, Tokens")) : null;
                }
            }

            public static class Tokens
            {
                public static IObjectSerializer Serializer = new KnownTypesSerializer();

                public static object FromCookie(Context context) => Serializer.Deserialize(context.Request.Cookies["token"]);
            }
            """ + Framework;

        await VerifyCS.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task TypeNamedInADynamicDocument_IsFlagged_UnlessCheckedAgainstAnAllowList()
    {
        const string source = """
            using System;
            using System.Collections.Generic;

            sealed class UntrustedContentAttribute : Attribute { }

            public static class Messages
            {
                private static readonly HashSet<string> Known = new() { "Messages.Ping, Messages" };

                public static object Create([UntrustedContent] string body)
                {
                    dynamic document = Json.Parse(body);
                    return Activator.CreateInstance({|#0:Type.GetType(document.TypeName)|});
                }

                public static object ByAssembly([UntrustedContent] string body)
                {
                    dynamic document = Json.Parse(body);
                    return {|#1:typeof(Messages).Assembly.GetType(document.TypeName, false)|};
                }

                public static object Checked([UntrustedContent] string body)
                {
                    dynamic document = Json.Parse(body);
                    string name = document.TypeName;
                    if (!Known.Contains(name))
                    {
                        return null;
                    }

                    return Activator.CreateInstance(Type.GetType(name));
                }

                public static object Constant([UntrustedContent] string body)
                {
                    dynamic document = Json.Parse(body);
                    return document.Kind == "ping" ? Type.GetType("Messages.Ping, Messages") : null;
                }
            }
            """ + Framework;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Type name 'document.TypeName'", "parameter 'body'", "Type.GetType(document.TypeName)", ByName),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Type name 'document.TypeName'", "parameter 'body'", "typeof(Messages).Assembly.GetType(document.TypeName, false)", "resolves the type the name names"));
    }

    [Fact]
    public async Task QueryOfAnHttpRequest_IsFlagged_AndNotItsOtherMembers()
    {
        // The shape of an application on a framework whose request type is abstract, read through a derived one.
        const string source = """
            using System;
            using System.Collections.Generic;

            namespace Web
            {
                public abstract class HttpRequest
                {
                    public abstract IDictionary<string, string> Query { get; }
                    public abstract string Path { get; }
                }

                public sealed class ServerRequest : HttpRequest
                {
                    public override IDictionary<string, string> Query { get; } = new Dictionary<string, string>();
                    public override string Path => "/";
                }

                class Handlers
                {
                    object Create(HttpRequest request) => Activator.CreateInstance({|#0:Type.GetType(request.Query["handler"])|});

                    object OnServer(ServerRequest request) => {|#1:Type.GetType(request.Query["handler"])|};

                    object ByPath(HttpRequest request) => Type.GetType(request.Path);
                }
            }
            """;

        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithLocation(0).WithArguments("Type name 'request.Query[\"handler\"]'", "HttpRequest.Query (line 20)", "Type.GetType(request.Query[\"handler\"])", ByName),
            VerifyCS.Diagnostic().WithLocation(1).WithArguments("Type name 'request.Query[\"handler\"]'", "ServerRequest.Query (line 22)", "Type.GetType(request.Query[\"handler\"])", ByName));
    }
}
