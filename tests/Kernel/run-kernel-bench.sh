#!/usr/bin/env bash
# The kernel backend benchmark (bench/LvsPs.KernelBench) in one qemu guest: loads SERVICES virtual services with
# REAL_SERVERS real servers each into kernel IPVS with LvsPs and with ipvsadm -R, and reads them back with LvsPs and
# with ipvsadm -S -n. Not part of build.ps1 test. The table of figures goes to out/bench/kernel/kernel-bench.md.
# Usage: tests/Kernel/run-kernel-bench.sh [SERVICES [REAL_SERVERS]]   (default 10000 5; needs root)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
results="$repo/out/bench/kernel"
rm -rf "$results"
mkdir -p "$results"
cd "$repo"
dotnet build "$repo/bench/LvsPs.KernelBench/LvsPs.KernelBench.csproj" -c Release --nologo -v q
exec "$repo/tests/Kernel/vm.sh" --timeout 3000 --results "$results" -- \
    dotnet "$repo/bench/LvsPs.KernelBench/bin/Release/net10.0/LvsPs.KernelBench.dll" "${1:-10000}" "${2:-5}"
