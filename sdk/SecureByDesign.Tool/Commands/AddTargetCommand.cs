using System;
using System.CommandLine;
using System.IO;
using System.Text;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary><c>sbd add-target --repo D --file F [--path P] [--custom JSON]</c>: lists a target; targets.json needs signing after.</summary>
    internal static class AddTargetCommand
    {
        public static Command Create(CommandContext context)
        {
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder", Required = true };
            var file = new Option<FileInfo>("--file") { Description = "The content file to add", Required = true };
            var path = new Option<string?>("--path") { Description = "The target path in the repository (default: the file's name)" };
            var custom = new Option<string?>("--custom") { Description = "JSON for the target's custom field, e.g. {\"rollout\":{\"ring\":\"canary\"}}" };
            var command = new Command("add-target", "Add or replace a target; sign targets, snapshot and timestamp after") { repo, file, path, custom };
            command.SetAction(parse =>
            {
                FileInfo content = parse.GetValue(file)!;
                string targetPath = parse.GetValue(path) ?? content.Name;
                JsonValue? customValue = parse.GetValue(custom) is string json ? StrictJsonReader.Parse(Encoding.UTF8.GetBytes(json), "--custom", 1 << 20) : null;
                TargetFile target = new RepositoryEditor(parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow)
                    .AddTarget(targetPath, File.ReadAllBytes(content.FullName), customValue);
                context.Output.WriteLine($"added {target.Path} ({target.Length} bytes, sha256 {target.Hashes["sha256"]}); sign targets, snapshot and timestamp next");
                return Cli.Ok;
            });
            return command;
        }
    }
}
