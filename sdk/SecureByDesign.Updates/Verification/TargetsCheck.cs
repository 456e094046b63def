using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Checks every target that any trusted role lists: that the delegation search reaches a role trusted
    /// for its path (extraneous dependencies, wrong software), and that the file matches its listing; then
    /// that the targets folder holds nothing else (release policy: unlisted files).
    /// </summary>
    internal static class TargetsCheck
    {
        public static void CheckAll(
            TrustedMetadataSet set,
            RepositoryLayout layout,
            VerifierOptions options,
            bool consistent,
            List<Problem> problems,
            Dictionary<string, TrustedTarget> verified,
            HashSet<string> expectedFiles)
        {
            var claimed = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, Metadata<Targets>> role in set.TargetsRoles)
            {
                foreach (string path in role.Value.Signed.Files.Keys)
                {
                    if (!claimed.TryGetValue(path, out List<string>? roles))
                    {
                        claimed.Add(path, roles = new List<string>());
                    }

                    roles.Add(role.Key);
                }
            }

            foreach (KeyValuePair<string, List<string>> entry in claimed)
            {
                string path = entry.Key;
                if (RepositoryLayout.TargetPathProblem(path) is string why)
                {
                    problems.Add(new Problem(ProblemCodes.InvalidTargetPath, $"target '{path}' (listed by {string.Join(", ", entry.Value)}) {why}"));
                    continue;
                }

                switch (DelegationSearch.Find(path, set.TargetsRoles, (name, parent) => VerifiesUnder(set, name, parent), options.MaxDelegations, out string? role, out TargetFile? target))
                {
                    case DelegationSearch.Outcome.Found:
                        if (CheckFiles(layout, target!, role!, consistent, problems, expectedFiles))
                        {
                            verified.Add(path, new TrustedTarget(target!, role!));
                        }

                        break;
                    case DelegationSearch.Outcome.LimitReached:
                        ExpectFiles(set, entry, consistent, expectedFiles);
                        problems.Add(new Problem(ProblemCodes.DelegationLimit, $"target '{path}': the delegation search visited {options.MaxDelegations} roles without reaching one that lists it"));
                        break;
                    default:
                        ExpectFiles(set, entry, consistent, expectedFiles);
                        problems.Add(new Problem(ProblemCodes.UntrustedDelegation, $"target '{path}': listed by {string.Join(", ", entry.Value.Select(r => "'" + r + "'"))}, which no delegation trusted for this path reaches"));
                        break;
                }
            }
        }

        public static void CheckUnlisted(RepositoryLayout layout, HashSet<string> expectedFiles, List<Problem> problems)
        {
            string root = layout.TargetsDirectory;
            if (!Directory.Exists(root))
            {
                return;
            }

            var unlisted = new List<string>();
            foreach (string full in FilesBelow(root))
            {
                string relative = "targets/" + full.Substring(root.Length + 1).Replace(Path.DirectorySeparatorChar, '/');
                if (!expectedFiles.Contains(relative))
                {
                    unlisted.Add(relative);
                }
            }

            unlisted.Sort(StringComparer.Ordinal);
            foreach (string relative in unlisted)
            {
                problems.Add(new Problem(ProblemCodes.UnlistedTarget, $"{relative}: listed by no trusted role"));
            }
        }

        // Depth-first, without following directory links, so a link cycle cannot make the walk endless
        // and a link out of the repository is not walked.
        private static IEnumerable<string> FilesBelow(string root)
        {
            var directories = new Stack<string>();
            directories.Push(root);
            while (directories.Count > 0)
            {
                string directory = directories.Pop();
                foreach (string file in Directory.EnumerateFiles(directory))
                {
                    yield return file;
                }

                foreach (string child in Directory.EnumerateDirectories(directory))
                {
                    if ((File.GetAttributes(child) & FileAttributes.ReparsePoint) == 0)
                    {
                        directories.Push(child);
                    }
                    else
                    {
                        // A link to a directory is never a listed target: it is reported, not followed.
                        yield return child;
                    }
                }
            }
        }

        // A target listed but not reachable: its files are reported by that one line, not again as unlisted.
        private static void ExpectFiles(TrustedMetadataSet set, KeyValuePair<string, List<string>> entry, bool consistent, HashSet<string> expectedFiles)
        {
            foreach (string file in RepositoryLayout.TargetFiles(set.TargetsRoles[entry.Value[0]].Signed.Files[entry.Key], consistent))
            {
                expectedFiles.Add(file);
            }
        }

        private static bool CheckFiles(RepositoryLayout layout, TargetFile target, string role, bool consistent, List<Problem> problems, HashSet<string> expectedFiles)
        {
            IReadOnlyList<string> files = RepositoryLayout.TargetFiles(target, consistent);
            bool anyPresent = false;
            bool allGood = true;
            foreach (string file in files)
            {
                expectedFiles.Add(file);
                string full = layout.FullPath(file);
                if (!File.Exists(full))
                {
                    continue;
                }

                anyPresent = true;
                if (TargetFileCheck.Check(full, file, target) is Problem problem)
                {
                    problems.Add(problem);
                    allGood = false;
                }
            }

            if (!anyPresent)
            {
                problems.Add(new Problem(ProblemCodes.TargetMissing, $"{files[0]}: listed by '{role}' but not found"));
            }

            return anyPresent && allGood;
        }

        // A role reached through a delegator it was not loaded under must verify against that one as well.
        private static bool VerifiesUnder(TrustedMetadataSet set, string role, string delegator)
        {
            try
            {
                set.RequireDelegatedBy(role, delegator);
                return true;
            }
            catch (UnsignedMetadataException)
            {
                return false;
            }
        }
    }
}
