using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SecureByDesign.Tool.Gate;
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
            var assemblies = new Option<FileInfo[]>("--assembly") { Description = "A built assembly whose [ContentParser(Schema = ..., Fields = ...)] parsers are checked like --schema (repeatable)" };
            var maxBytes = new Option<long?>("--max-metadata-bytes") { Description = "The largest metadata file accepted, in bytes, for every role (default: per role, 16 KB to 5 MB)" };
            maxBytes.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<long?>() is long value && value <= 0)
                {
                    result.AddError("--max-metadata-bytes must be a positive number of bytes");
                }
            });
            var format = new Option<string>("--format") { Description = "text (default), or msbuild: 'FILE: error SBDnnnn: MESSAGE' lines for the build gate", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "msbuild");
            var command = new Command("verify", "Verify a repository from a trusted root, as a TUF client and the release gate would")
            {
                root, repo, previous, validity, allowUnlisted, rollout, schemas, assemblies, maxBytes, format,
            };
            command.SetAction(parse =>
            {
                FileInfo rootFile = parse.GetValue(root)!;
                string? previousDirectory = parse.GetValue(previous)?.FullName;
                GateReport? report = parse.GetValue(format) == "msbuild"
                    ? new GateReport(context.Output, parse.GetValue(repo)!.FullName, rootFile.FullName, previousDirectory)
                    : null;
                if (!rootFile.Exists)
                {
                    report?.Error(rootFile.FullName, GateCodes.TrustedRootMissing, "trusted root not found");
                    context.Error.WriteLine($"usage: {rootFile.Name}: trusted root not found");
                    return Cli.Usage;
                }

                var parsers = (parse.GetValue(schemas) ?? Array.Empty<string>()).Select(ParseSchema).OfType<ParserSchema>().ToList();
                if (!GateInputs.AddSchemas(parse.GetValue(assemblies), parsers, report, context.Output))
                {
                    return Cli.Problem;
                }

                var options = new VerifierOptions
                {
                    PreviousReleaseDirectory = previousDirectory,
                    MinimumValidity = TimeSpan.FromDays(parse.GetValue(validity)),
                    RejectUnlistedFiles = !parse.GetValue(allowUnlisted),
                    Rollout = parse.GetValue(rollout) ? RolloutPolicy.Default : null,
                    ParserSchemas = parsers,
                };
                GateInputs.LimitMetadata(options, parse.GetValue(maxBytes));
                byte[]? trusted = GateInputs.ReadTrustedRoot(rootFile, report);
                if (trusted is null)
                {
                    return Cli.Problem;
                }

                VerificationResult result = RepositoryVerifier.Verify(trusted, parse.GetValue(repo)!.FullName, DateTimeOffset.UtcNow, options);
                foreach (Problem problem in result.Problems)
                {
                    if (report is null)
                    {
                        context.Output.WriteLine(problem.ToString());
                    }
                    else
                    {
                        report.Write(problem);
                    }
                }

                if (result.IsValid)
                {
                    string checkedSchemas = parsers.Count == 0 ? string.Empty : $", {parsers.Count} parser schema(s) checked";
                    context.Output.WriteLine($"verified: root version {result.RootVersion}, {result.Targets.Count} target(s){checkedSchemas}");
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
