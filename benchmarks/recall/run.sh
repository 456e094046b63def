#!/usr/bin/env bash
# Recall of `sbd scan` on published vulnerabilities: each case of cases.tsv is scanned at its vulnerable commit, at
# its fix and, when the first published fix was incomplete, at that first fix. See README.md.
#
#   benchmarks/recall/run.sh [REPOS] [SBD_DLL]
#
# REPOS    folder of git repositories (clones or mirrors) named OWNER+NAME (OWNER+NAME/repo also works); without it
#          each repository is cloned from https://github.com/OWNER/NAME. Git submodules are checked out at the
#          commit each checkout records, from REPOS when it has them, else from GitHub.
# SBD_DLL  the sbd.dll to run; without it sdk/SecureByDesign.Tool is built (Release) into the work folder.
# RECALL_WORK      work folder for checkouts, scan outputs and the built tool (default: a new mktemp -d folder);
#                  set it to reuse the checkouts of an earlier run.
# RECALL_CASES     only the cases whose id matches this extended regular expression.
# RECALL_SCAN_ARGS extra arguments for `sbd scan` (for example --no-restore).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repos="${1:-}"
sbd_dll="${2:-}"
work="${RECALL_WORK:-$(mktemp -d)}"
mkdir -p "$work/src" "$work/out"
echo "work folder: $work"

if [ -z "$sbd_dll" ]; then
  dotnet build "$root/sdk/SecureByDesign.Tool/SecureByDesign.Tool.csproj" -c Release -nologo -v q -o "$work/sbd" >/dev/null
  sbd_dll="$work/sbd/sbd.dll"
fi
echo "sbd: $sbd_dll (project commit $(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown))"

# checkout REPO COMMIT FOLDER: a work clone of REPO at COMMIT, cloned once and reused
checkout() {
  local name="$1" commit="$2" dir="$work/src/$1" from
  if [ ! -d "$dir/.git" ]; then
    from=$(clone_from "$name")
    git clone -q --no-checkout "$from" "$dir"
  fi
  if ! git -C "$dir" cat-file -e "$commit^{commit}" 2>/dev/null; then git -C "$dir" fetch -q origin; fi
  # a mirror may lack a few large blobs (test archives): the checkout then still moves HEAD and writes the rest
  git -C "$dir" checkout -q -f --detach "$commit" 2>"$work/out/checkout.log" || true
  git -C "$dir" clean -q -f -d -x
  if [ "$(git -C "$dir" rev-parse HEAD)" != "$(git -C "$dir" rev-parse "$commit^{commit}")" ]; then
    echo "checkout of $commit in $name failed:" >&2; cat "$work/out/checkout.log" >&2; return 1
  fi
  local missing; missing=$(git -C "$dir" ls-files --deleted -- "$3" | wc -l)
  if [ "$missing" -gt 0 ]; then echo "warning: $missing files of $3 missing from the $name checkout at $commit" >&2; fi
  submodules "$name" "$commit" "$dir"
}

# clone_from NAME: where to clone OWNER+NAME from (a repository of REPOS, else GitHub)
clone_from() {
  if [ -n "$repos" ] && [ -d "$repos/$1/repo" ]; then echo "$repos/$1/repo"
  elif [ -n "$repos" ] && [ -d "$repos/$1" ]; then echo "$repos/$1"
  else echo "https://github.com/${1/+//}"; fi
}

# submodules NAME COMMIT DIR: each git submodule of the checkout at the commit the superproject records, as a clone
# of its own inside DIR (GitHub submodules only: OWNER+NAME from the URL, a relative URL beside NAME); one that
# cannot be had is left empty with a warning
submodules() {
  local name="$1" commit="$2" dir="$3" key path url sub at
  git -C "$dir" cat-file -e "$commit:.gitmodules" 2>/dev/null || return 0
  git -C "$dir" config --blob "$commit:.gitmodules" --get-regexp '^submodule\..*\.path$' 2>/dev/null |
  while read -r key path; do
    url=$(git -C "$dir" config --blob "$commit:.gitmodules" --get "${key%.path}.url" 2>/dev/null || true)
    at=$(git -C "$dir" ls-tree "$commit" -- "$path" | awk '$2 == "commit" { print $3 }')
    [ -n "$at" ] || continue
    url="${url%/}"; url="${url%.git}"
    case "$url" in
      ../*) sub="${name%%+*}+${url##*/}" ;;
      *github.com[:/]*/*) sub="${url#*github.com[:/]}"; sub="${sub%%/*}+${url##*/}" ;;
      *) echo "warning: submodule $path of $name ($url) is not on GitHub, left out" >&2; continue ;;
    esac
    if [ ! -d "$dir/$path/.git" ]; then
      rm -rf "${dir:?}/$path"
      if ! git clone -q --no-checkout "$(clone_from "$sub")" "$dir/$path" 2>>"$work/out/checkout.log"; then
        echo "warning: submodule $path of $name ($sub) could not be cloned, left out" >&2; continue
      fi
    fi
    if ! git -C "$dir/$path" cat-file -e "$at^{commit}" 2>/dev/null; then git -C "$dir/$path" fetch -q origin || true; fi
    if ! git -C "$dir/$path" checkout -q -f --detach "$at" 2>>"$work/out/checkout.log"; then
      echo "warning: submodule $path of $name: commit $at not found in $sub, left out" >&2; continue
    fi
    git -C "$dir/$path" clean -q -f -d -x
  done
}

# scan ID STAGE REPO COMMIT FOLDER RULES RANGES: prints "count" then the findings of RULES inside RANGES
# (path:line rule message), paths relative to the repository
scan() {
  local id="$1" stage="$2" name="$3" commit="$4" folder="$5" rules="$6" ranges="$7"
  local out="$work/out/${id//[^A-Za-z0-9._-]/_}.$stage.txt" rc=0
  if ! checkout "$name" "$commit" "$folder"; then echo "error"; echo "  checkout of $commit failed"; return; fi
  dotnet "$sbd_dll" scan "$work/src/$name/$folder" ${RECALL_SCAN_ARGS:-} >"$out" 2>&1 || rc=$?
  if [ "$rc" -gt 1 ]; then echo "error"; echo "  sbd scan exited with $rc, see $out"; return; fi
  awk -v folder="$folder" -v rules=",$rules," -v ranges="$ranges" '
    function norm(p,   n, a, i, o, k) {   # folder/../x -> x
      n = split(p, a, "/"); k = 0
      for (i = 1; i <= n; i++) { if (a[i] == "..") { if (k > 0) k--; } else if (a[i] != "." && a[i] != "") o[++k] = a[i] }
      p = o[1]; for (i = 2; i <= k; i++) p = p "/" o[i]; return p
    }
    BEGIN {
      nf = split(ranges, files, ";")
      for (i = 1; i <= nf; i++) {
        c = index(files[i], ":"); f = substr(files[i], 1, c - 1)
        nr = split(substr(files[i], c + 1), rs, ",")
        for (j = 1; j <= nr; j++) { split(rs[j], ab, "-"); lo[f, j] = ab[1] + 0; hi[f, j] = ab[2] + 0 }
        count[f] = nr
      }
    }
    match($0, /^.*\([0-9]+,[0-9]+\): warning SBD[0-9]+: /) {
      head = substr($0, 1, RLENGTH); msg = substr($0, RLENGTH + 1)
      rule = head; sub(/: $/, "", rule); sub(/.* /, "", rule)
      if (index(rules, "," rule ",") == 0) next
      p = head; sub(/\([0-9]+,[0-9]+\): warning .*/, "", p)
      line = head; sub(/^.*\(/, "", line); sub(/,.*/, "", line); line += 0
      f = norm(folder "/" p)
      for (j = 1; j <= count[f]; j++) if (line >= lo[f, j] && line <= hi[f, j]) {
        if (length(msg) > 150) msg = substr(msg, 1, 147) "..."
        hits[++n] = sprintf("  %-9s %s:%d %s %s", stage, f, line, rule, msg); break
      }
    }
    END { print n + 0; for (i = 1; i <= n; i++) print hits[i] }
  ' stage="$stage" "$out"
}

cases=0 flagged=0 quiet=0 with_first=0 first_flagged=0 errors=0
while IFS=$'\t' read -r id name folder rules vuln first fix vuln_ranges first_ranges fix_ranges comment; do
  case "$id" in ''|\#*) continue ;; esac
  [ "$first" = - ] && first=""
  if [ -n "${RECALL_CASES:-}" ] && ! [[ "$id" =~ $RECALL_CASES ]]; then continue; fi
  cases=$((cases + 1))
  details=""
  v=$(scan "$id" vuln "$name" "$vuln" "$folder" "$rules" "$vuln_ranges"); vn=$(head -n1 <<<"$v")
  details+=$(tail -n +2 <<<"$v")$'\n'
  ff="-"
  if [ -n "$first" ]; then
    with_first=$((with_first + 1))
    f=$(scan "$id" first_fix "$name" "$first" "$folder" "$rules" "$first_ranges"); ff=$(head -n1 <<<"$f")
    details+=$(tail -n +2 <<<"$f")$'\n'
  fi
  x=$(scan "$id" fix "$name" "$fix" "$folder" "$rules" "$fix_ranges"); xn=$(head -n1 <<<"$x")
  details+=$(tail -n +2 <<<"$x")$'\n'
  verdict="missed"
  if [ "$vn" = error ] || [ "$xn" = error ] || [ "$ff" = error ]; then verdict="error"; errors=$((errors + 1))
  elif [ "$vn" -gt 0 ]; then
    flagged=$((flagged + 1))
    if [ "$xn" -eq 0 ]; then verdict="flagged, quiet at fix"; quiet=$((quiet + 1)); else verdict="flagged, not quiet at fix"; fi
    if [ -n "$first" ] && [ "$ff" -gt 0 ]; then first_flagged=$((first_flagged + 1)); fi
  fi
  printf '%-24s %-10s vuln %-5s first_fix %-5s fix %-5s %s\n' "$id" "$rules" "$vn" "$ff" "$xn" "$verdict"
  grep -v '^$' <<<"$details" || true
done < "$here/cases.tsv"

pct() { if [ "$2" -gt 0 ]; then echo "$(( 100 * $1 / $2 ))%"; else echo "-"; fi; }
echo
echo "cases: $cases; flagged at vulnerable: $flagged ($(pct $flagged $cases)); flagged and quiet at fix: $quiet ($(pct $quiet $cases))"
echo "cases with an incomplete first fix: $with_first; flagged at vulnerable and still flagged at the first fix: $first_flagged"
[ "$errors" -gt 0 ] && echo "scan errors: $errors"
exit 0
