using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using SecureByDesign.Updates.Policy;

namespace SecureByDesign.Tool.Gate
{
    /// <summary>
    /// Reads every <c>[ContentParser(Schema = ..., Fields = ...)]</c> of a built assembly from its metadata, without
    /// loading it: the attribute is matched by simple name (the package's or a vendor's own copy), and only its
    /// named arguments are read. Parsers without a schema are the resilience gate's, not this one's.
    /// </summary>
    public static class ParserSchemaReader
    {
        /// <summary>What an assembly declares: the schemas, and the declarations that are not usable.</summary>
        public sealed class Declarations
        {
            internal Declarations(IReadOnlyList<ParserSchema> schemas, IReadOnlyList<string> invalid)
            {
                Schemas = schemas;
                Invalid = invalid;
            }

            /// <summary>One per parser that names a schema and a positive field count.</summary>
            public IReadOnlyList<ParserSchema> Schemas { get; }

            /// <summary>One message per parser that names a schema without fields, or fields without a schema.</summary>
            public IReadOnlyList<string> Invalid { get; }
        }

        /// <summary>Reads <paramref name="path"/>; throws <see cref="BadImageFormatException"/> or an I/O exception when it is no readable assembly.</summary>
        public static Declarations Read(string path)
        {
            using FileStream stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new BadImageFormatException("not a .NET assembly (no metadata)");
            }

            MetadataReader reader = pe.GetMetadataReader();
            var schemas = new List<ParserSchema>();
            var invalid = new List<string>();
            foreach (MethodDefinitionHandle handle in reader.MethodDefinitions)
            {
                MethodDefinition method = reader.GetMethodDefinition(handle);
                foreach (CustomAttributeHandle attributeHandle in method.GetCustomAttributes())
                {
                    CustomAttribute attribute = reader.GetCustomAttribute(attributeHandle);
                    if (!IsContentParser(reader, attribute))
                    {
                        continue;
                    }

                    string parser = Name(reader, method);
                    (string? schema, int fields) = NamedArguments(attribute);
                    if (schema is null && fields == 0)
                    {
                        continue;
                    }

                    if (string.IsNullOrEmpty(schema) || fields <= 0)
                    {
                        invalid.Add($"{parser}: [ContentParser] declares Schema = \"{schema}\" and Fields = {fields}; a schema needs both a name and a positive field count");
                        continue;
                    }

                    schemas.Add(new ParserSchema(parser, schema!, fields));
                }
            }

            return new Declarations(schemas, invalid);
        }

        private static bool IsContentParser(MetadataReader reader, CustomAttribute attribute)
        {
            EntityHandle type = attribute.Constructor.Kind switch
            {
                HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
                HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
                _ => default,
            };
            StringHandle name = type.Kind switch
            {
                HandleKind.TypeReference => reader.GetTypeReference((TypeReferenceHandle)type).Name,
                HandleKind.TypeDefinition => reader.GetTypeDefinition((TypeDefinitionHandle)type).Name,
                _ => default,
            };
            return !name.IsNil && reader.StringComparer.Equals(name, "ContentParserAttribute");
        }

        private static (string? Schema, int Fields) NamedArguments(CustomAttribute attribute)
        {
            CustomAttributeValue<string> value = attribute.DecodeValue(new TypeNames());
            string? schema = null;
            int fields = 0;
            foreach (CustomAttributeNamedArgument<string> argument in value.NamedArguments)
            {
                if (argument.Name == "Schema" && argument.Value is string text)
                {
                    schema = text;
                }
                else if (argument.Name == "Fields" && argument.Value is int count)
                {
                    fields = count;
                }
            }

            return (schema, fields);
        }

        private static string Name(MetadataReader reader, MethodDefinition method)
        {
            TypeDefinition type = reader.GetTypeDefinition(method.GetDeclaringType());
            string ns = reader.GetString(type.Namespace);
            string typeName = reader.GetString(type.Name);
            return (ns.Length == 0 ? typeName : ns + "." + typeName) + "." + reader.GetString(method.Name);
        }

        // Only the primitive and string types a [ContentParser] argument can have; anything else is a name, never loaded.
        private sealed class TypeNames : ICustomAttributeTypeProvider<string>
        {
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

            public string GetSystemType() => "System.Type";

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

            public string GetTypeFromSerializedName(string name) => name;

            public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

            public bool IsSystemType(string type) => type == "System.Type";
        }
    }
}
