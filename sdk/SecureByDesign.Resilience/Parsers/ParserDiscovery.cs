using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SecureByDesign.Resilience.Parsers
{
    /// <summary>
    /// Finds the content parsers of a built assembly from its metadata alone (System.Reflection.Metadata), without
    /// loading it: the methods marked with an attribute named <c>ContentParserAttribute</c> (matched by simple name, so
    /// the Annotations package and a vendor's own copy both count), and every static method a
    /// <c>&lt;ContentParser Include="Ns.Type.Method" /&gt;</c> item may name.
    /// </summary>
    public static class ParserDiscovery
    {
        private const string AttributeName = "ContentParserAttribute";

        /// <summary>The parameter types a parser may take, as <see cref="SignatureNames"/> spells them.</summary>
        private static readonly Dictionary<string, InputKind> Inputs = new(StringComparer.Ordinal)
        {
            ["System.Byte[]"] = InputKind.ByteArray,
            ["System.ReadOnlySpan`1<System.Byte>"] = InputKind.ReadOnlySpan,
            ["System.ReadOnlyMemory`1<System.Byte>"] = InputKind.ReadOnlyMemory,
            ["System.IO.Stream"] = InputKind.Stream,
            ["System.String"] = InputKind.String,
        };

        /// <summary>What a parser must look like, for messages.</summary>
        public const string Shape = "a static method with one parameter of type byte[], ReadOnlySpan<byte>, ReadOnlyMemory<byte>, Stream or string";

        /// <summary>Reads the assembly's metadata.</summary>
        /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static Discovery Discover(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new BadImageFormatException($"{Path.GetFileName(assemblyPath)} is not a .NET assembly");
            }

            MetadataReader reader = pe.GetMetadataReader();
            var candidates = new List<ParserMethod>();
            var misdeclared = new List<string>();
            foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
            {
                TypeDefinition type = reader.GetTypeDefinition(typeHandle);
                bool generic = IsGeneric(reader, typeHandle);
                foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
                {
                    MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                    bool attributed = HasParserAttribute(reader, method);
                    string name = DottedName(reader, typeHandle) + "." + reader.GetString(method.Name);
                    InputKind? input = generic ? null : InputOf(method);
                    if (input is { } kind)
                    {
                        candidates.Add(new ParserMethod(name, ReflectionName(reader, typeHandle), reader.GetString(method.Name), kind, attributed));
                    }
                    else if (attributed)
                    {
                        misdeclared.Add($"{name} is marked [ContentParser] but is not {Shape}");
                    }
                }
            }

            return new Discovery(candidates, misdeclared);
        }

        private static InputKind? InputOf(MethodDefinition method)
        {
            if ((method.Attributes & MethodAttributes.Static) == 0 || method.GetGenericParameters().Count > 0)
            {
                return null;
            }

            MethodSignature<string> signature = method.DecodeSignature(SignatureNames.Instance, genericContext: null);
            return signature.ParameterTypes.Length == 1 && Inputs.TryGetValue(signature.ParameterTypes[0], out InputKind kind) ? kind : null;
        }

        private static bool IsGeneric(MetadataReader reader, TypeDefinitionHandle handle)
        {
            for (; !handle.IsNil; handle = reader.GetTypeDefinition(handle).GetDeclaringType())
            {
                if (reader.GetTypeDefinition(handle).GetGenericParameters().Count > 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasParserAttribute(MetadataReader reader, MethodDefinition method)
        {
            foreach (CustomAttributeHandle handle in method.GetCustomAttributes())
            {
                EntityHandle constructor = reader.GetCustomAttribute(handle).Constructor;
                EntityHandle type = constructor.Kind switch
                {
                    HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)constructor).Parent,
                    HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType(),
                    _ => default,
                };
                string? name = type.Kind switch
                {
                    HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Name),
                    HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
                    _ => null,
                };
                if (name == AttributeName)
                {
                    return true;
                }
            }

            return false;
        }

        private static string DottedName(MetadataReader reader, TypeDefinitionHandle handle) => FullName(reader, handle, '.');

        private static string ReflectionName(MetadataReader reader, TypeDefinitionHandle handle) => FullName(reader, handle, '+');

        private static string FullName(MetadataReader reader, TypeDefinitionHandle handle, char nestedSeparator)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string name = reader.GetString(type.Name);
            TypeDefinitionHandle outer = type.GetDeclaringType();
            if (!outer.IsNil)
            {
                return FullName(reader, outer, nestedSeparator) + nestedSeparator + name;
            }

            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }
    }

    /// <summary>The parsers an assembly declares, and the methods an item may name.</summary>
    /// <param name="Candidates">Every static method of a parser's shape, marked or not.</param>
    /// <param name="Misdeclared">Marked methods that are not of a parser's shape, one sentence each.</param>
    public sealed record Discovery(IReadOnlyList<ParserMethod> Candidates, IReadOnlyList<string> Misdeclared)
    {
        /// <summary>
        /// The parsers to run: the named ones (each must exist; the first overload in declaration order wins), and every
        /// marked one when <paramref name="includeMarked"/>. Unknown names come back in <paramref name="unknown"/>.
        /// </summary>
        public IReadOnlyList<ParserMethod> Select(IReadOnlyCollection<string> names, bool includeMarked, out IReadOnlyList<string> unknown)
        {
            var missing = new List<string>();
            var selected = new List<ParserMethod>();
            if (includeMarked)
            {
                selected.AddRange(FindAll(p => p.Attributed));
            }

            foreach (string name in names)
            {
                ParserMethod? match = FindFirst(p => p.Name == name);
                if (match is null)
                {
                    missing.Add(name);
                }
                else if (!selected.Contains(match))
                {
                    selected.Add(match);
                }
            }

            unknown = missing;
            return selected;
        }

        private ParserMethod? FindFirst(Predicate<ParserMethod> match)
        {
            foreach (ParserMethod parser in Candidates)
            {
                if (match(parser))
                {
                    return parser;
                }
            }

            return null;
        }

        private List<ParserMethod> FindAll(Predicate<ParserMethod> match)
        {
            var all = new List<ParserMethod>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (ParserMethod parser in Candidates)
            {
                if (match(parser) && names.Add(parser.Name))
                {
                    all.Add(parser);
                }
            }

            return all;
        }
    }

    /// <summary>Spells signature types as <c>System.Byte[]</c> or <c>System.ReadOnlySpan`1&lt;System.Byte&gt;</c>.</summary>
    internal sealed class SignatureNames : ISignatureTypeProvider<string, object?>
    {
        public static readonly SignatureNames Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference type = reader.GetTypeReference(handle);
            return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
        }

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "?";
    }
}
