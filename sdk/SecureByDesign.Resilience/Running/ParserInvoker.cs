using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using System.Threading.Tasks;
using SecureByDesign.Resilience.Parsers;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>
    /// Turns a parser of any supported shape into one <c>Action&lt;byte[]&gt;</c>: a small dynamic method converts the
    /// bytes (to a span, memory, stream or string), calls the parser and drops its result. A span cannot pass through
    /// reflection's <c>Invoke</c>; a direct call also keeps the parser's own frame on top of its exceptions.
    /// </summary>
    public static class ParserInvoker
    {
        /// <summary>Loads the assembly in its own load context and binds the parser.</summary>
        public static Action<byte[]> Load(string assemblyPath, ParserMethod parser)
        {
            string fullPath = Path.GetFullPath(assemblyPath);
            Assembly assembly = new ParserLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
            return Bind(assembly, parser);
        }

        /// <summary>Binds the parser in an assembly that is already loaded.</summary>
        public static Action<byte[]> Bind(Assembly assembly, ParserMethod parser)
        {
            Type type = assembly.GetType(parser.TypeName, throwOnError: true)!;
            Type input = ParameterType(parser.Input);
            MethodInfo method = type
                .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .FirstOrDefault(m => m.Name == parser.MethodName && !m.IsGenericMethodDefinition && m.GetParameters() is { Length: 1 } p && p[0].ParameterType == input)
                ?? throw new MissingMethodException($"{parser.Name}({input.Name}) not found in {assembly.GetName().Name}");
            return Thunk(method, parser.Input);
        }

        private static Type ParameterType(InputKind kind) => kind switch
        {
            InputKind.ByteArray => typeof(byte[]),
            InputKind.ReadOnlySpan => typeof(ReadOnlySpan<byte>),
            InputKind.ReadOnlyMemory => typeof(ReadOnlyMemory<byte>),
            InputKind.Stream => typeof(Stream),
            _ => typeof(string),
        };

        private static Action<byte[]> Thunk(MethodInfo method, InputKind kind)
        {
            var thunk = new DynamicMethod("sbd-thunk:" + method.Name, typeof(void), new[] { typeof(byte[]) }, method.Module, skipVisibility: true);
            ILGenerator il = thunk.GetILGenerator();
            switch (kind)
            {
                case InputKind.ByteArray:
                    il.Emit(OpCodes.Ldarg_0);
                    break;
                case InputKind.ReadOnlySpan:
                case InputKind.ReadOnlyMemory:
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Call, ParameterType(kind).GetMethod("op_Implicit", new[] { typeof(byte[]) })!);
                    break;
                case InputKind.Stream:
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Ldc_I4_0);
                    il.Emit(OpCodes.Newobj, typeof(MemoryStream).GetConstructor(new[] { typeof(byte[]), typeof(bool) })!);
                    break;
                default:
                    il.Emit(OpCodes.Call, typeof(Encoding).GetProperty(nameof(Encoding.UTF8))!.GetMethod!);
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Callvirt, typeof(Encoding).GetMethod(nameof(Encoding.GetString), new[] { typeof(byte[]) })!);
                    break;
            }

            il.Emit(OpCodes.Call, method);
            if (typeof(Task).IsAssignableFrom(method.ReturnType))
            {
                // An async parser throws into its task: wait for it, so its exceptions are judged too.
                il.Emit(OpCodes.Call, typeof(ParserInvoker).GetMethod(nameof(Wait), BindingFlags.Static | BindingFlags.NonPublic)!);
            }
            else if (method.ReturnType != typeof(void))
            {
                il.Emit(OpCodes.Pop);
            }

            il.Emit(OpCodes.Ret);
            return (Action<byte[]>)thunk.CreateDelegate(typeof(Action<byte[]>));
        }

        private static void Wait(Task task) => task.GetAwaiter().GetResult();
    }
}
