#!/usr/bin/env bash
# The tour: packs SecureByDesign.Analyzers, SecureByDesign.Annotations and SecureByDesign.Sdk, builds the sample agent
# as it is (samples/EndpointAgent) and its hardened twin (samples/HardenedAgent) against them, and prints, in order:
# what the analyzers found in the agent, what the signed-content gate rejected, what the resilience gate crashed on
# (with the command that replays it), and that the twin passed.
#
#   samples/run.sh                         (from any folder)
#   samples/run.sh --no-pack [-- ARGS...]  no packing: the nuget.config in effect already sees the packages;
#                                          ARGS go to every dotnet build (the end-to-end test's settings)
#
# Exits 0 when every expected result happened: each "Expected: SBDxxxx" comment of the agent's source reported on its
# line and nothing else, the gate errors below, the crash of the channel reader, and a twin with no finding that
# passes both gates. Otherwise it says what was missing and exits 1.
set -euo pipefail

samples="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$samples/.." && pwd)"
current="$samples/EndpointAgent"
twin="$samples/HardenedAgent"

pack=1
build_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-pack) pack=0 ;;
        --) shift; build_args=("$@"); break ;;
        *) echo "usage: samples/run.sh [--no-pack] [-- BUILD-ARGS...]" >&2; exit 2 ;;
    esac
    shift
done

if [[ $pack -eq 1 ]]; then
    feed="$root/artifacts/packages"
    echo "==> Packing the packages into artifacts/packages"
    rm -rf "$feed"
    mkdir -p "$feed"
    for project in analyzers/SecureByDesign.Analyzers.Package/SecureByDesign.Analyzers.Package.csproj \
                   analyzers/SecureByDesign.Annotations/SecureByDesign.Annotations.csproj \
                   sdk/SecureByDesign.Sdk/SecureByDesign.Sdk.csproj; do
        dotnet pack "$root/$project" -c Release -o "$feed" -nologo -v:q
    done
    # A package cache of the samples' own: a SecureByDesign package of the same version left in the user's
    # global cache by an earlier build (the version only changes per commit) is never used.
    export NUGET_PACKAGES="$root/artifacts/sample-packages"
    rm -rf "$NUGET_PACKAGES"
fi

missing=()
expect() { missing+=("$1"); }

# dotnet build PROJECT LOG [ARGS...]: the build's output goes to LOG; returns the build's exit code.
build() {
    local project="$1" log="$2"
    shift 2
    mkdir -p "$(dirname "$log")"
    dotnet build "$project" -nologo -tl:off -clp:NoSummary "$@" ${build_args[@]+"${build_args[@]}"} >"$log" 2>&1
}

# The lines of a log that match a pattern, once each, with the samples' folder and MSBuild's trailing
# " [project]" and help link taken off.
diagnostics() {
    { grep -E "$1" "$2" || true; } \
        | sed -E -e 's# \[[^]]*\]$##' -e 's# \(https://[^)]*\)$##' -e 's#^ +##' -e "s#$samples/##g" \
        | sort -u
}

stopped() {
    echo "The build did not get to the gates (log: $1):" >&2
    grep -E ': error ' "$1" | sort -u >&2 || cat "$1" >&2
    exit 1
}

# 1. The analyzers. --no-incremental: an up-to-date build skips the compiler, and with it the findings.
echo
echo "==> 1. The analyzers on the agent as it is (samples/EndpointAgent)"
current_log="$current/obj/tour-build.log"
status=0
build "$current/EndpointAgent.csproj" "$current_log" --no-incremental || status=$?
if grep -qE ': error (CS|MSB|NU)[0-9]+' "$current_log"; then
    stopped "$current_log"
fi
findings="$(diagnostics ': warning SBD[0-9]{4}: ' "$current_log" | sed -E 's#^EndpointAgent/##')"
if [[ -z "$findings" ]]; then
    expect "no analyzer finding in the agent: were the analyzers loaded? (log: $current_log)"
else
    sed -E 's#^([^(]+)\(([0-9]+),[0-9]+\): warning (SBD[0-9]{4}): #\1:\2  \3  #' <<<"$findings" | sed 's#^#  #'
    echo
    echo "  $(wc -l <<<"$findings") findings of $(grep -oE 'SBD[0-9]{4}' <<<"$findings" | sort -u | wc -l) rules; each rule's page is docs/rules/<id>.md."
fi
# Every "Expected: SBDxxxx" comment is a finding on its line, and every finding has its comment.
expected="$(cd "$current" && grep -rnoE --include='*.cs' --exclude-dir=obj --exclude-dir=bin 'Expected: SBD[0-9]{4}' . \
    | sed -E 's#^\./([^:]+):([0-9]+):Expected: (SBD[0-9]{4})$#\1:\2 \3#' | sort)"
reported="$(sed -E 's#^([^(]+)\(([0-9]+),[0-9]+\): warning (SBD[0-9]{4}): .*#\1:\2 \3#' <<<"$findings" | sort)"
while read -r line; do
    [[ -n "$line" ]] && expect "the finding $line (an 'Expected:' comment) was not reported"
done < <(comm -23 <(echo "$expected") <(echo "$reported"))
while read -r line; do
    [[ -n "$line" ]] && expect "the finding $line was reported but no 'Expected:' comment names it"
done < <(comm -13 <(echo "$expected") <(echo "$reported"))

# 2. The signed-content gate: it runs after the build and fails it.
echo
echo "==> 2. The signed-content gate rejects the agent's release"
rejections="$(diagnostics ': error SBD(5[0-9]{3}|70[0-4][0-9]): ' "$current_log")"
if [[ -n "$rejections" ]]; then
    sed -E 's#^.*: error (SBD[0-9]{4}): #  \1  #' <<<"$rejections"
    echo
    echo "  Each code's page is docs/gates/<code>.md; the build failed, as it should."
fi
[[ $status -ne 0 ]] || expect "the content gate did not fail the agent's build"
grep -q 'error SBD5014: .*21 fields per record, but EndpointAgent.Content.TemplateRecordReader.Read reads 20' <<<"$rejections" \
    || expect "SBD5014: channel-291.csv's 21 fields against the reader's 20"
grep -q "error SBD5016: .*'rules.txt'" <<<"$rejections" || expect "SBD5016: rules.txt skipping the canary ring"

# 3. The resilience gate. The content gate stopped the build before it; run it on its own.
echo
echo "==> 3. The resilience gate crashes the agent's parsers (content gate off: -p:SecureByDesignVerifyContent=false)"
resilience_log="$current/obj/tour-resilience.log"
status=0
build "$current/EndpointAgent.csproj" "$resilience_log" --no-restore -p:SecureByDesignVerifyContent=false || status=$?
[[ $status -ne 0 ]] || expect "the resilience gate did not fail the agent's build"
crashes="$(diagnostics ': error SBD(6[0-9]{3}|70[5-9][0-9]): ' "$resilience_log")"
# The replay commands name `sbd`: here it is the SDK package's copy, run with dotnet.
sbd="$(dotnet msbuild "$current/EndpointAgent.csproj" -getProperty:SecureByDesignToolPath -p:NuGetInteractive=false 2>/dev/null || true)"
while IFS= read -r crash; do
    [[ -n "$crash" ]] || continue
    message="${crash#*: error }"
    details="${message#*: }"
    echo "  ${message%%: *}  ${details%%; replay: *}"
    if [[ "$message" == *"; replay: sbd "* ]]; then
        echo "      replay (in samples/): dotnet \"$sbd\" ${message#*; replay: sbd }"
    fi
done <<<"$crashes"
template="$(grep -m1 'error SBD6001: EndpointAgent.Content.TemplateRecordReader.Read threw System.IndexOutOfRangeException' <<<"$crashes" || true)"
if [[ -z "$template" ]]; then
    expect "SBD6001: TemplateRecordReader.Read's IndexOutOfRangeException on a record of 20 fields"
elif [[ -n "$sbd" ]]; then
    # The replay command does what it says: the same exception, from the same input.
    replay="${template#*; replay: sbd }"
    replayed="$(cd "$samples" && eval "dotnet \"$sbd\" $replay" 2>&1 || true)"
    if grep -q 'IndexOutOfRangeException' <<<"$replayed"; then
        echo
        echo "  Replayed TemplateRecordReader.Read's input: IndexOutOfRangeException again."
    else
        expect "the replay command of TemplateRecordReader.Read's crash to throw IndexOutOfRangeException again; it printed: $replayed"
    fi
else
    expect "the SDK's sbd (SecureByDesignToolPath) for the replay command"
fi
echo "  Each code's page is docs/gates/<code>.md; the inputs are under EndpointAgent/obj/, named in each line."

# 4. The hardened twin: no finding, both gates pass.
echo
echo "==> 4. The hardened twin (samples/HardenedAgent)"
twin_log="$twin/obj/tour-build.log"
status=0
build "$twin/HardenedAgent.csproj" "$twin_log" --no-incremental || status=$?
twin_problems="$(diagnostics ': (warning|error) [A-Z]+[0-9]+: ' "$twin_log")"
verified="$(grep -m1 -oE 'SecureByDesign signed content: verified: .*' "$twin_log" || true)"
passed="$(grep -oE 'SecureByDesign resilience: .*' "$twin_log" | sort -u || true)"
if [[ $status -eq 0 && -z "$twin_problems" ]]; then
    echo "  Built with no finding."
else
    [[ -z "$twin_problems" ]] || sed 's#^#  #' <<<"$twin_problems"
    expect "the twin to build with no finding and no error (exit code $status; log: $twin_log)"
fi
[[ -n "$verified" ]] && echo "  $verified" || expect "the twin's signed-content gate to verify its release"
if [[ -n "$passed" ]]; then
    sed 's#^#  #' <<<"$passed"
fi
if [[ -z "$passed" ]] || grep -qv ', 0 failure(s)$' <<<"$passed"; then
    expect "the twin's resilience gate to run every parser with 0 failures"
fi

echo
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "==> Every expected result happened (logs: EndpointAgent/obj/tour-*.log, HardenedAgent/obj/tour-build.log)."
    exit 0
fi
echo "==> Missing from the tour:" >&2
printf '  - %s\n' "${missing[@]}" >&2
exit 1
