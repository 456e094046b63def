using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Policy;
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
            var rollout = new Option<bool>("--require-rollout") { Description = "Check staged rollout: canary (1 day), early (2 days), broad, against --previous" };
            var schemas = new Option<string[]>("--schema") { Description = "A parser's schema as NAME=FIELDS (repeatable): targets declaring NAME must have FIELDS fields per record" };
            schemas.Validators.Add(result =>
            {
                foreach (string value in result.GetValueOrDefault<string[]>() ?? Array.Empty<string>())
                {
                    if (ParseSchema(value) is null)
                    {
                        result.AddError($"--schema '{value}' is not NAME=FIELDS with FIELDS a positive integer");
                    }
                }
            });
            var command = new Command("verify", "Verify a repository from a trusted root, as a TUF client and the release gate would")
            {
                root, repo, previous, validity, allowUnlisted, rollout, schemas,
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
                    Rollout = parse.GetValue(rollout) ? RolloutPolicy.Default : null,
                    ParserSchemas = (parse.GetValue(schemas) ?? Array.Empty<string>()).Select(ParseSchema).OfType<ParserSchema>().ToArray(),
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

        private static ParserSchema? ParseSchema(string value)
        {
            int equals = value.LastIndexOf('=');
            return equals > 0 && int.TryParse(value.Substring(equals + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int fields) && fields > 0
                ? new ParserSchema("the parser given by --schema " + value, value.Substring(0, equals), fields)
                : null;
        }
    }
}
