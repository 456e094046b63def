using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace SecureByDesign.Resilience.Running
{
    /// <summary>
    /// Loads the built assembly and its dependencies as its own <c>.deps.json</c> lists them, apart from the runner's
    /// own assemblies; framework assemblies come from the shared framework.
    /// </summary>
    internal sealed class ParserLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver resolver;

        public ParserLoadContext(string assemblyPath)
            : base("sbd-parser:" + Path.GetFileName(assemblyPath))
        {
            resolver = new AssemblyDependencyResolver(assemblyPath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string? path = resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            string? path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }
    }
}
