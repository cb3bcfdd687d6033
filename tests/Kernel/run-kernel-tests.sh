#!/usr/bin/env bash
# Runs the whole kernel suite in one qemu guest boot: tests/LvsPs.KernelTests (already built) and the module's kernel
# Pester files (tests/Pester/Kernel, against the staged module in out/LvsPs). Results go to out/test-results/kernel/:
# kernel.xml (xunit, JUnit) and kernel-pester.xml / kernel-pester-summary.json.
# Usage: tests/Kernel/run-kernel-tests.sh [Debug|Release] [--no-pester] [extra dotnet test args, e.g. --filter X]
# The guest runs the host's own programs: what the tests need (curl, Python's http.server and pyftpdlib, nft) is
# installed on the host from Debian when missing (root), as vm.sh does for qemu.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
configuration="${1:-Release}"
shift || true
pester_wanted=1
if [[ "${1:-}" == "--no-pester" ]]; then pester_wanted=0; shift; fi
results="$repo/out/test-results/kernel"
rm -rf "$results"
mkdir -p "$results"
cd "$repo"

need=()
command -v curl >/dev/null || need+=(curl)
[[ -x /usr/bin/python3 ]] || need+=(python3)
/usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null || need+=(python3-pyftpdlib)
command -v nft >/dev/null || [[ -x /usr/sbin/nft ]] || need+=(nftables)
if [[ ${#need[@]} -gt 0 ]]; then
    if [[ $(id -u) -ne 0 ]]; then echo "run-kernel-tests.sh: missing ${need[*]}; run as root or apt-get install them" >&2; exit 125; fi
    echo "run-kernel-tests.sh: installing ${need[*]}" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" \
        || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"; }; } >&2 \
        || { echo "run-kernel-tests.sh: apt-get could not install ${need[*]}" >&2; exit 125; }
fi

pester=-
module="$repo/out/LvsPs/LvsPs.psd1"
backends="$repo/tests/LvsPs.TestBackends/bin/$configuration/net10.0/LvsPs.TestBackends.dll"
if [[ $pester_wanted -eq 1 ]]; then
    [[ -f "$module" ]] || { echo "run-kernel-tests.sh: $module is missing: run ./build.ps1 build first" >&2; exit 125; }
    packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
    pester="$packages/pester/5.7.1/tools/Pester.psd1"
    [[ -f "$pester" ]] || dotnet restore "$repo/tests/Pester/Pester.Restore.csproj" --nologo -v:q >&2
    [[ -f "$pester" ]] || { echo "run-kernel-tests.sh: Pester 5.7.1 is not at $pester after restore" >&2; exit 125; }
fi
exec "$repo/tests/Kernel/vm.sh" --timeout 1500 --results "$results" -- \
    "$repo/tests/Kernel/guest-suite.sh" "$configuration" "$pester" "$module" "$backends" "$@"
