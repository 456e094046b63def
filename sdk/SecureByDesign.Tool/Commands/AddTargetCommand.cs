using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd add-target --repo D (--file F [--path P] | --dir S [--prefix X/]) [--custom JSON]</c>: lists targets
    /// in one new version of targets.json, which needs signing after.
    /// </summary>
    internal static class AddTargetCommand
    {
        public static Command Create(CommandContext context)
        {
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder", Required = true };
            var file = new Option<FileInfo?>("--file") { Description = "A content file to add" };
            var path = new Option<string?>("--path") { Description = "With --file: the target path (default: the file's name)" };
            var dir = new Option<DirectoryInfo?>("--dir") { Description = "A folder whose files are all added, at their paths below it" };
            var prefix = new Option<string?>("--prefix") { Description = "With --dir: a path prefix for every target, e.g. channels/" };
            var role = new Option<string>("--role") { Description = "The targets role to list them in: targets (default), a delegated role, or the prefix of hash bins", DefaultValueFactory = _ => "targets" };
            var custom = new Option<string?>("--custom") { Description = "JSON for the custom field of every target added, e.g. {\"rollout\":{\"ring\":\"canary\"}}" };
            var command = new Command("add-target", "Add or replace targets; sign targets, snapshot and timestamp after") { repo, file, path, dir, prefix, role, custom };
            command.Validators.Add(result =>
            {
                if ((result.GetValue(file) is null) == (result.GetValue(dir) is null))
                {
                    result.AddError("give exactly one of --file and --dir");
                }
            });
            command.SetAction(parse =>
            {
                JsonValue? customValue = parse.GetValue(custom) is string json ? StrictJsonReader.Parse(Encoding.UTF8.GetBytes(json), "--custom", 1 << 20) : null;
                var sources = new List<TargetSource>();
                if (parse.GetValue(file) is FileInfo single)
                {
                    sources.Add(TargetSource.FromFile(parse.GetValue(path) ?? single.Name, single.FullName, customValue));
                }
                else
                {
                    DirectoryInfo folder = parse.GetValue(dir)!;
                    string pathPrefix = parse.GetValue(prefix) ?? string.Empty;
                    foreach (FileInfo each in folder.EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
                    {
                        string relative = Path.GetRelativePath(folder.FullName, each.FullName).Replace(Path.DirectorySeparatorChar, '/');
                        sources.Add(TargetSource.FromFile(pathPrefix + relative, each.FullName, customValue));
                    }
                }

                IReadOnlyList<TargetFile> added = new RepositoryEditor(parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow).AddTargets(sources, parse.GetValue(role)!);
                foreach (TargetFile target in added)
                {
                    context.Output.WriteLine($"added {target.Path} ({target.Length} bytes, sha256 {target.Hashes["sha256"]})");
                }

                string listedBy = parse.GetValue(role)!;
                context.Output.WriteLine($"{added.Count} target(s) added; sign {listedBy}, snapshot and timestamp next");
                return Cli.Ok;
            });
            return command;
        }
    }
}
