#!/usr/bin/env bash
# Runs the whole kernel suite (tests/LvsPs.KernelTests, already built) in one qemu guest; JUnit results go to
# out/test-results/kernel/kernel.xml. Usage: tests/Kernel/run-kernel-tests.sh [Debug|Release] [extra dotnet test args]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
configuration="${1:-Release}"
shift || true
results="$repo/out/test-results/kernel"
rm -rf "$results"
mkdir -p "$results"
cd "$repo"
exec "$repo/tests/Kernel/vm.sh" --timeout 1200 --results "$results" -- \
    dotnet test "$repo/tests/LvsPs.KernelTests/LvsPs.KernelTests.csproj" -c "$configuration" --no-build --nologo \
    --logger 'junit;LogFilePath=/xfer/results/kernel.xml' --logger 'console;verbosity=normal' "$@"
