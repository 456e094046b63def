using System;
using System.CommandLine;
using System.IO;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>
    /// <c>sbd verify --root R --repo D</c>: exit 0 when the repository verifies from the trusted root R,
    /// 1 with one line per problem when it does not.
    /// </summary>
    internal static class VerifyCommand
    {
        public static Command Create(CommandContext context)
        {
            var root = new Option<FileInfo>("--root") { Description = "The trusted (pinned) root.json", Required = true };
            var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository folder (metadata/ and targets/)", Required = true };
            var previous = new Option<DirectoryInfo?>("--previous") { Description = "The previous release's folder: versions must not go below it" };
            var validity = new Option<int>("--min-validity-days") { Description = "Every role must stay valid this many more days (default 0)" };
            var allowUnlisted = new Option<bool>("--allow-unlisted") { Description = "Do not report files in targets/ that no role lists" };
            var command = new Command("verify", "Verify a repository from a trusted root, as a TUF client and the release gate would")
            {
                root, repo, previous, validity, allowUnlisted,
            };
            command.SetAction(parse =>
            {
                FileInfo rootFile = parse.GetValue(root)!;
                if (!rootFile.Exists)
                {
                    context.Error.WriteLine($"usage: {rootFile.Name}: trusted root not found");
                    return Cli.Usage;
                }

                var options = new VerifierOptions
                {
                    PreviousReleaseDirectory = parse.GetValue(previous)?.FullName,
                    MinimumValidity = TimeSpan.FromDays(parse.GetValue(validity)),
                    RejectUnlistedFiles = !parse.GetValue(allowUnlisted),
                };
                VerificationResult result = RepositoryVerifier.Verify(File.ReadAllBytes(rootFile.FullName), parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow, options);
                foreach (Problem problem in result.Problems)
                {
                    context.Output.WriteLine(problem.ToString());
                }

                if (result.IsValid)
                {
                    context.Output.WriteLine($"verified: root version {result.RootVersion}, {result.Targets.Count} target(s)");
                    return Cli.Ok;
                }

                return Cli.Problem;
            });
            return command;
        }
    }
}
