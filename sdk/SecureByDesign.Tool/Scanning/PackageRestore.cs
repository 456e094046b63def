using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>
    /// Restores NuGet packages the way a build would, without the project that asked for them: a throw-away
    /// project in a temp folder lists them, <c>dotnet restore</c> resolves them with the machine's NuGet
    /// configuration, and its <c>project.assets.json</c> gives each package's compile assemblies and analyzer
    /// assemblies. A package that cannot be restored is left out, with why, and the rest are restored again.
    /// </summary>
    internal sealed class PackageRestore
    {
        /// <summary>The framework the throw-away project targets: the one the tool runs on.</summary>
        public const string TargetFramework = "net10.0";

        private static readonly Regex NotFound = new Regex(
            @"Unable to find package '?(?<id>[A-Za-z0-9_.\-]+?)'?(?:\.\s| with version)",
            RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));

        /// <summary>The packages restored, id to version.</summary>
        public SortedDictionary<string, string> Restored { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The packages left out, id to why.</summary>
        public SortedDictionary<string, string> LeftOut { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Compile assemblies of the restored packages and their dependencies, full paths.</summary>
        public List<string> CompileAssemblies { get; } = new();

        /// <summary>C# analyzer assemblies (analyzers and source generators) by the package that ships them.</summary>
        public SortedDictionary<string, List<string>> Analyzers { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Restores nothing: every one of <paramref name="ids"/> is left out for <paramref name="why"/>.</summary>
        public static PackageRestore Skipped(IEnumerable<string> ids, string why)
        {
            var result = new PackageRestore();
            foreach (string id in ids)
            {
                result.LeftOut[id] = why;
            }

            return result;
        }

        /// <summary>Restores <paramref name="packages"/> (id to version or version range; "*" for the newest).</summary>
        public static PackageRestore Run(IReadOnlyDictionary<string, string> packages, TimeSpan timeout)
        {
            var result = new PackageRestore();
            var wanted = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach ((string id, string version) in packages)
            {
                if (version != "*" && !LooksLikeVersion(version))
                {
                    result.LeftOut[id] = $"version '{version}' is not a NuGet version or range";
                }
                else
                {
                    wanted[id] = version;
                }
            }

            if (wanted.Count == 0)
            {
                return result;
            }

            string folder = Path.Combine(Path.GetTempPath(), "sbd-restore-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                while (wanted.Count > 0)
                {
                    (bool ok, string output) = Restore(folder, wanted, timeout);
                    if (ok)
                    {
                        result.Read(Path.Combine(folder, "obj", "project.assets.json"), wanted);
                        break;
                    }

                    // Drop what NuGet named as missing and try again; when it names nothing, nothing restores.
                    var missing = NotFound.Matches(output).Select(m => m.Groups["id"].Value).Where(wanted.ContainsKey).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                    if (missing.Count == 0)
                    {
                        string reason = FirstError(output);
                        foreach (string id in wanted.Keys)
                        {
                            result.LeftOut[id] = reason;
                        }

                        break;
                    }

                    foreach (string id in missing)
                    {
                        result.LeftOut[id] = $"not found in the package sources (version {wanted[id]})";
                        wanted.Remove(id);
                    }
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            return result;
        }

        private static (bool Ok, string Output) Restore(string folder, IReadOnlyDictionary<string, string> packages, TimeSpan timeout)
        {
            string items = string.Concat(packages.Select(p => $"    <PackageReference Include=\"{SecurityElement.Escape(p.Key)}\" Version=\"{SecurityElement.Escape(p.Value)}\" />\n"));
            File.WriteAllText(Path.Combine(folder, "Restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>{TargetFramework}</TargetFramework>
                    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>
                    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <NuGetAudit>false</NuGetAudit>
                    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                {items}  </ItemGroup>
                </Project>
                """);
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "restore", "Restore.csproj", "--nologo", "-v", "q" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using Process process = Process.Start(start) ?? throw new IOException("dotnet restore could not be started");
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"dotnet restore did not finish within {timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode == 0, stdout + stderr.Result);
        }

        private void Read(string assetsFile, IReadOnlyDictionary<string, string> wanted)
        {
            using JsonDocument assets = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
            JsonElement root = assets.RootElement;
            string packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
            JsonElement libraries = root.GetProperty("libraries");
            JsonElement target = root.GetProperty("targets").EnumerateObject().First().Value;
            foreach (JsonProperty library in target.EnumerateObject())
            {
                if (!library.Value.TryGetProperty("type", out JsonElement type) || type.GetString() != "package")
                {
                    continue;
                }

                string id = library.Name.Substring(0, library.Name.IndexOf('/', StringComparison.Ordinal));
                string path = Path.Combine(packageFolder, libraries.GetProperty(library.Name).GetProperty("path").GetString()!);
                if (wanted.ContainsKey(id))
                {
                    Restored[id] = library.Name.Substring(id.Length + 1);
                }

                if (library.Value.TryGetProperty("compile", out JsonElement compile))
                {
                    CompileAssemblies.AddRange(compile.EnumerateObject()
                        .Where(asset => asset.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                        .Select(asset => Path.GetFullPath(Path.Combine(path, asset.Name))));
                }

                List<string> analyzers = AnalyzerFiles(libraries.GetProperty(library.Name), path);
                if (analyzers.Count > 0)
                {
                    Analyzers[id] = analyzers;
                }
            }
        }

        /// <summary>
        /// The C# analyzer assemblies of a package, as the SDK picks them: <c>analyzers/dotnet/cs/</c> and
        /// <c>analyzers/dotnet/</c>, or, when the package has <c>roslynX.Y</c> folders, the newest one this
        /// compiler can load.
        /// </summary>
        private static List<string> AnalyzerFiles(JsonElement library, string packagePath)
        {
            var files = library.TryGetProperty("files", out JsonElement list)
                ? list.EnumerateArray().Select(f => f.GetString()!).Where(f => f.StartsWith("analyzers/dotnet/", StringComparison.OrdinalIgnoreCase) && f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList()
                : new List<string>();
            Version compiler = typeof(Microsoft.CodeAnalysis.Compilation).Assembly.GetName().Version!;
            string? roslyn = files
                .Select(f => f.Split('/')[2])
                .Where(folder => folder.StartsWith("roslyn", StringComparison.OrdinalIgnoreCase) && System.Version.TryParse(folder.Substring(6), out Version? v) && v <= compiler)
                .OrderByDescending(folder => System.Version.Parse(folder.Substring(6)))
                .FirstOrDefault();
            string prefix = roslyn is null ? "analyzers/dotnet/" : $"analyzers/dotnet/{roslyn}/";
            return files
                .Where(f => f.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(f => f.Substring(prefix.Length))
                .Where(rest => !rest.Contains('/', StringComparison.Ordinal) || (rest.StartsWith("cs/", StringComparison.OrdinalIgnoreCase) && rest.Count(c => c == '/') == 1))
                .Select(rest => Path.GetFullPath(Path.Combine(packagePath, prefix + rest)))
                .ToList();
        }

        private static bool LooksLikeVersion(string version) =>
            Regex.IsMatch(version, @"^[\[\(]?\s*[0-9][0-9A-Za-z.\-+*]*\s*(,\s*[0-9A-Za-z.\-+*]*\s*)?[\]\)]?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        private static string FirstError(string output)
        {
            string? line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
            return "restore failed: " + (line ?? "dotnet restore exited with an error");
        }
    }
}
