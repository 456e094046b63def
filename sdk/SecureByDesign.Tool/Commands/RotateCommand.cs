using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd rotate --repo D --role R [--add-key F]... [--remove-key F|ID]... [--threshold N]</c>: the next root
    /// version with a role's keys or threshold changed, unsigned; <c>sbd sign --role root</c> with the old and the
    /// new root keys makes it trusted.
    /// </summary>
    internal static class RotateCommand
    {
        public static Command Create(CommandContext context)
        {
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder", Required = true };
            var role = new Option<string>("--role") { Description = "root, timestamp, snapshot or targets", Required = true };
            role.AcceptOnlyFromAmong("root", "timestamp", "snapshot", "targets");
            var add = new Option<FileInfo[]>("--add-key") { Description = "A key file (or public key file) to add to the role; repeat for several" };
            var remove = new Option<string[]>("--remove-key") { Description = "A key file or key id to remove from the role; repeat for several" };
            var threshold = new Option<int?>("--threshold") { Description = "How many of the role's keys must sign" };
            var command = new Command("rotate", "Start the next root version: add or remove a role's keys, change its threshold (sign root after)")
            {
                repo, role, add, remove, threshold,
            };
            command.SetAction(parse =>
            {
                string name = parse.GetValue(role)!;
                var added = (parse.GetValue(add) ?? Array.Empty<FileInfo>()).Select(f => Keys.ReadPublic(f.FullName)).ToList();
                var removed = (parse.GetValue(remove) ?? Array.Empty<string>()).Select(Keys.IdOf).ToList();
                long version = new RepositoryEditor(parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow).EditRoot(name, added, removed, parse.GetValue(threshold));
                context.Output.WriteLine($"root version {version}: role {name} changed; sign it with a threshold of the previous root's keys and of its own (sbd sign --role root)");
                return Cli.Ok;
            });
            return command;
        }
    }
}
