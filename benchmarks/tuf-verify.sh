#!/usr/bin/env bash
# Verification throughput of SecureByDesign.Updates against sha256sum over the same files.
#
#   benchmarks/tuf-verify.sh [FILES] [TOTAL_MIB]      (default: 10000 files, 1024 MiB)
#
# Builds sbd (Release), makes a repository of FILES random files totalling TOTAL_MIB in a temp folder
# (consistent-snapshot layout, ed25519 keys), then times, with a warm page cache, best of three:
#   - sbd verify (root chain, every metadata signature, every target's length and SHA-256, unlisted files);
#   - sha256sum over the same target files (the floor: hashing alone, one process).
set -euo pipefail
files="${1:-10000}"
total_mib="${2:-1024}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build "$root/sdk/SecureByDesign.Tool/SecureByDesign.Tool.csproj" -c Release -nologo -v q -o "$work/bin" >/dev/null
sbd() { dotnet "$work/bin/sbd.dll" "$@"; }

echo "==> $files files, $total_mib MiB"
mkdir -p "$work/drop"
size=$(( total_mib * 1024 * 1024 / files ))
head -c $(( size * files )) /dev/urandom | split -b "$size" -a 5 -d - "$work/drop/f"
sbd keygen --out "$work/root.key" >/dev/null
sbd keygen --out "$work/online.key" >/dev/null
sbd init --repo "$work/repo" --root-key "$work/root.key" --timestamp-key "$work/online.key" \
    --snapshot-key "$work/online.key" --targets-key "$work/online.key" --consistent-snapshot >/dev/null
sbd add-target --repo "$work/repo" --dir "$work/drop" --prefix content/ >/dev/null
for role in targets snapshot timestamp; do sbd sign --repo "$work/repo" --role "$role" --key "$work/online.key" >/dev/null; done
rm -rf "$work/drop"

best() {
  local best_ms=""
  for _ in 1 2 3; do
    local start end ms
    start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
  done
  echo "$best_ms"
}
hash_all() { find "$work/repo/targets" -type f -print0 | xargs -0 sha256sum; }

hash_all >/dev/null   # warm the page cache
verify_ms=$(best sbd verify --root "$work/repo/metadata/1.root.json" --repo "$work/repo")
sha_ms=$(best hash_all)
echo "sbd verify: ${verify_ms} ms ($(( total_mib * 1000 / (verify_ms > 0 ? verify_ms : 1) )) MiB/s)"
echo "sha256sum:  ${sha_ms} ms ($(( total_mib * 1000 / (sha_ms > 0 ? sha_ms : 1) )) MiB/s)"
