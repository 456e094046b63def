#!/usr/bin/env bash
# Packs SecureByDesign.Analyzers and SecureByDesign.Annotations, builds the sample endpoint agent
# against the packed packages, and prints the analyzers' findings.
#
#   samples/run.sh            (from any folder)
#
# Exits 0 when the sample builds; the findings are warnings, so they do not fail the build.
set -euo pipefail

samples="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$samples/.." && pwd)"
cd "$root"

feed="$root/artifacts/packages"
# A package cache of the sample's own: a SecureByDesign package of the same version left in the
# user's global cache by an earlier build (the version only changes per commit) is never used.
packages="$root/artifacts/sample-packages"
log="$root/artifacts/sample-build.log"

echo "==> Packing the packages into artifacts/packages"
rm -rf "$feed" "$packages"
mkdir -p "$feed"
dotnet pack analyzers/SecureByDesign.Analyzers.Package/SecureByDesign.Analyzers.Package.csproj -c Release -o "$feed" -nologo
dotnet pack analyzers/SecureByDesign.Annotations/SecureByDesign.Annotations.csproj -c Release -o "$feed" -nologo

echo "==> Building samples/EndpointAgent against them"
export NUGET_PACKAGES="$packages"
dotnet restore samples/EndpointAgent/EndpointAgent.csproj -nologo
# --no-incremental: an up-to-date build skips the compiler, and with it the findings.
status=0
dotnet build samples/EndpointAgent/EndpointAgent.csproj --no-restore --no-incremental -nologo -tl:off -clp:NoSummary \
    >"$log" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
    cat "$log"
    echo "The sample did not build (exit code $status)." >&2
    exit "$status"
fi

echo "==> SecureByDesign findings"
# Each finding as File.cs(line,column): warning SBDxxxx: message, once, paths relative to the sample.
findings="$(grep -E '(warning|error) SBD[0-9]{4}' "$log" \
    | sed -E -e 's# \[[^]]*\]$##' -e "s#^$samples/EndpointAgent/##" \
    | sort -u || true)"
if [[ -z "$findings" ]]; then
    echo "No findings: were the analyzers loaded? The build log is in artifacts/sample-build.log." >&2
    exit 1
else
    echo "$findings"
    echo
    echo "By rule:"
    grep -oE '(warning|error) SBD[0-9]{4}' <<<"$findings" | sort | uniq -c
fi
echo "==> Build succeeded (log: artifacts/sample-build.log)"
