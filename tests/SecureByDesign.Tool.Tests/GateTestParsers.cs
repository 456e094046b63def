// Parser declarations that GateTests reads back from assemblies' metadata. The attribute is this file's own,
// matched by its simple name as a vendor's copy would be.
namespace SecureByDesign.Tool.Tests
{
    /// <summary>A parser with an incomplete declaration, compiled into this test assembly: SBD7006.</summary>
    internal static class IncompleteParsers
    {
        [ContentParser(Schema = "incomplete")]
        public static int SchemaOnly(string line) => line.Length;

        // No schema at all: the resilience gate's parser, not this gate's; not an error.
        [ContentParser]
        public static int Plain(string line) => line.Length;
    }

    [System.AttributeUsage(System.AttributeTargets.Method)]
    internal sealed class ContentParserAttribute : System.Attribute
    {
        public string? Schema { get; set; }

        public int Fields { get; set; }
    }
}

namespace SecureByDesign.Tool.Tests
{
    using System;
    using System.IO;
    using System.Reflection;
    using System.Reflection.Emit;

    /// <summary>
    /// An assembly written for the tests (never loaded) with one parser, <c>SchemaAssembly.Parse</c>, declared
    /// <c>[ContentParser(Schema = "gate-test", Fields = 20)]</c> through an attribute defined in that assembly.
    /// </summary>
    internal static class SchemaAssembly
    {
        private static readonly Lazy<string> Written = new(Write);

        public static string Path => Written.Value;

        private static string Write()
        {
            var assembly = new PersistedAssemblyBuilder(new AssemblyName("GateSchemas"), typeof(object).Assembly);
            ModuleBuilder module = assembly.DefineDynamicModule("GateSchemas");
            TypeBuilder attribute = module.DefineType("Vendor.ContentParserAttribute", TypeAttributes.Public | TypeAttributes.Sealed, typeof(Attribute));
            ConstructorBuilder constructor = attribute.DefineDefaultConstructor(MethodAttributes.Public);
            FieldBuilder schema = attribute.DefineField("Schema", typeof(string), FieldAttributes.Public);
            FieldBuilder fields = attribute.DefineField("Fields", typeof(int), FieldAttributes.Public);
            attribute.CreateType();

            TypeBuilder parsers = module.DefineType("SecureByDesign.Tool.Tests.SchemaAssembly", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
            MethodBuilder parse = parsers.DefineMethod("Parse", MethodAttributes.Public | MethodAttributes.Static, typeof(int), [typeof(string)]);
            ILGenerator il = parse.GetILGenerator();
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ret);
            parse.SetCustomAttribute(new CustomAttributeBuilder(constructor, [], [schema, fields], ["gate-test", 20]));
            parsers.CreateType();

            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sbd-gate-schemas-" + Guid.NewGuid().ToString("N") + ".dll");
            assembly.Save(path);
            return path;
        }
    }
}
