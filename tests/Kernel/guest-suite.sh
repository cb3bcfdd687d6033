#!/usr/bin/env bash
# Runs inside the qemu guest (tests/Kernel/run-kernel-tests.sh, one boot): the kernel xunit suite, then the module's
# kernel Pester files (tests/Pester/Kernel: the cmdlets against kernel IPVS). Results go to $LVS_VM_RESULTS:
# kernel.xml (xunit), kernel-pester.xml and kernel-pester-summary.json (Pester). Exits non-zero when either failed.
#   guest-suite.sh CONFIGURATION PESTER_MANIFEST MODULE_MANIFEST BACKENDS_DLL [dotnet test args]
# PESTER_MANIFEST '-' skips the Pester part (e.g. while iterating on one xunit test with --filter).
set -uo pipefail
configuration="$1" pester="$2" module="$3" backends="$4"
shift 4
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

dotnet test "$repo/tests/LvsPs.KernelTests/LvsPs.KernelTests.csproj" -c "$configuration" --no-build --nologo \
    --logger "junit;LogFilePath=$LVS_VM_RESULTS/kernel.xml" --logger 'console;verbosity=normal' "$@"
xunit_rc=$?

pester_rc=0
if [[ "$pester" != "-" ]]; then
    echo "==> Pester against kernel IPVS (tests/Pester/Kernel)"
    # bounded, so that a stuck Pester cannot cost the xunit results (the whole guest has vm.sh's timeout)
    timeout -k 10 600 dotnet pwsh -NoProfile -NonInteractive -File "$repo/tests/Pester/Invoke-LvsPester.ps1" \
        -PesterPath "$pester" -ModulePath "$module" -BackendsPath "$backends" \
        -ResultPath "$LVS_VM_RESULTS/kernel-pester.xml" -SummaryPath "$LVS_VM_RESULTS/kernel-pester-summary.json" \
        -Path "$repo/tests/Pester/Kernel"
    pester_rc=$?
fi
echo "guest-suite: xunit exit $xunit_rc, Pester exit $pester_rc"
[[ $xunit_rc -eq 0 && $pester_rc -eq 0 ]]
