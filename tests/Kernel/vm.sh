#!/usr/bin/env bash
# Runs one command inside a throw-away qemu guest that has kernel IPVS.
#
#   tests/Kernel/vm.sh [--timeout SECONDS] [--results DIR] [--memory MB] -- COMMAND [ARG...]
#
# The guest boots Debian's linux-image-*-amd64 (unpacked into .vm/, never installed on the host) with a busybox
# initramfs that loads the 9p, virtio, overlay, veth, bridge and ip_vs* modules, mounts the host's / read-only over virtio-9p
# under a tmpfs overlay (so the guest runs the host's own dotnet, test build and ipvsadm, and nothing it writes reaches
# the host), runs COMMAND as root in the current directory and powers off. The command's output is streamed to this
# script's stdout; files it writes to $LVS_VM_RESULTS inside the guest are copied to --results DIR on the host, and
# $LVS_VM_MODULES names the kernel's module tree (for modprobe -d when a command reloads ip_vs). The exit
# code is the command's, 124 on timeout, 125 when the harness itself failed (no qemu, no kernel, no guest result).
#
# Needs root on the host (apt-get installs qemu-system-x86, busybox-static, ipvsadm and kmod when they are missing).
set -euo pipefail

timeout_s=900
results=""
memory=1536
while [[ $# -gt 0 ]]; do
    case "$1" in
        --timeout) timeout_s="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        --memory) memory="$2"; shift 2 ;;
        --) shift; break ;;
        *) break ;;
    esac
done
if [[ $# -eq 0 ]]; then
    echo "usage: $0 [--timeout S] [--results DIR] [--memory MB] -- COMMAND [ARG...]" >&2
    exit 125
fi

die() { echo "vm.sh: $*" >&2; exit 125; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
vmdir="$repo/.vm"
case "$repo" in *' '* | *,*) die "the repository path '$repo' contains a space or comma, which virtio-9p cannot share" ;; esac

# ---- tools -------------------------------------------------------------------------------------------------------
need_pkgs=()
command -v qemu-system-x86_64 >/dev/null || need_pkgs+=(qemu-system-x86)
[[ -x /bin/busybox ]] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || need_pkgs+=(busybox-static)
command -v ipvsadm >/dev/null || [[ -x /usr/sbin/ipvsadm ]] || need_pkgs+=(ipvsadm)
command -v depmod >/dev/null || [[ -x /usr/sbin/depmod ]] || need_pkgs+=(kmod)
command -v cpio >/dev/null || need_pkgs+=(cpio)
command -v xz >/dev/null || need_pkgs+=(xz-utils)
command -v file >/dev/null || need_pkgs+=(file)
# the failover tests run keepalived from the host's root inside the guest (tests/LvsPs.KernelTests/KernelFailoverTests.cs)
[[ -x /usr/sbin/keepalived ]] || need_pkgs+=(keepalived)
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
    [[ $(id -u) -eq 0 ]] || die "missing ${need_pkgs[*]}; run as root (or install them: apt-get install ${need_pkgs[*]})"
    echo "vm.sh: installing ${need_pkgs[*]}" >&2
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"; } >&2 \
        || die "apt-get could not install ${need_pkgs[*]}"
fi
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is not available (Debian package qemu-system-x86)"
export PATH="$PATH:/usr/sbin:/sbin"

# ---- kernel (cached in .vm/) -----------------------------------------------------------------------------------
mkdir -p "$vmdir"
exec 9>"$vmdir/.lock"
flock -w 600 9 || die "another vm.sh holds $vmdir/.lock for more than 10 minutes"
if [[ ! -f "$vmdir/kernel/ready" ]]; then
    [[ $(id -u) -eq 0 ]] || die "preparing the guest kernel needs root (apt-get download)"
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [[ -n "$pkg" ]] || { apt-get update -q >&2; pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); }
    [[ -n "$pkg" ]] || die "no linux-image-*-amd64 package is known to apt"
    echo "vm.sh: preparing $pkg (once; cached in $vmdir)" >&2
    rm -rf "$vmdir/kernel" "$vmdir/download"
    mkdir -p "$vmdir/download" "$vmdir/kernel"
    (cd "$vmdir/download" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed"
    dpkg -x "$vmdir"/download/*.deb "$vmdir/kernel/root"
    kver=$(ls "$vmdir/kernel/root/lib/modules" | head -n1)
    echo "$kver" > "$vmdir/kernel/version"
    "$repo/tests/Kernel/extract-vmlinux.sh" "$vmdir/kernel/root/boot/vmlinuz-$kver" > "$vmdir/kernel/vmlinux" \
        || cp "$vmdir/kernel/root/boot/vmlinuz-$kver" "$vmdir/kernel/vmlinux"
    depmod -b "$vmdir/kernel/root" "$kver"
    rm -rf "$vmdir/download"
    touch "$vmdir/kernel/ready"
fi
kver=$(cat "$vmdir/kernel/version")
kroot="$vmdir/kernel/root"

# ---- initramfs (rebuilt when this script or the module list changes) ----------------------------------------------
# 9p/virtio/overlay: the host's root; veth and bridge: the tests' namespaces and the segment that joins them;
# ipip/fou/ip_gre: tunnel real servers; nf_tables: nft marks packets for firewall-mark services; ip_vs*: IPVS and
# every scheduler and helper the kernel package ships.
mods=(virtio_pci 9pnet_virtio 9p overlay veth bridge ipip fou ip_gre nf_tables ip_vs)
for m in "$kroot"/lib/modules/"$kver"/kernel/net/netfilter/ipvs/ip_vs_*.ko*; do
    b=$(basename "$m"); mods+=("${b%%.ko*}")
done
stamp=$(cat "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)-$(printf '%s\n' "${mods[@]}" | sha256sum | cut -c1-8)
initrd="$vmdir/initramfs-$stamp.gz"
if [[ ! -f "$initrd" ]]; then
    echo "vm.sh: building initramfs" >&2
    rm -f "$vmdir"/initramfs-*.gz
    ird="$vmdir/initramfs.d"
    rm -rf "$ird"
    mkdir -p "$ird"/{bin,dev,proc,sys,mnt/host,mnt/rw,newroot,lib/modules}
    cp /bin/busybox "$ird/bin/busybox"
    : > "$ird/modules.order"
    declare -A seen=()
    for m in "${mods[@]}"; do
        while read -r kind path _; do
            [[ "$kind" == insmod ]] || continue
            [[ -n "${seen[$path]:-}" ]] && continue
            seen[$path]=1
            name=$(basename "$path"); name="${name%%.ko*}.ko"
            case "$path" in
                *.ko.xz) xz -dc "$path" > "$ird/lib/modules/$name" ;;
                *.ko.zst) zstd -dqc "$path" > "$ird/lib/modules/$name" ;;
                *) cp "$path" "$ird/lib/modules/$name" ;;
            esac
            echo "$name" >> "$ird/modules.order"
        done < <(modprobe -d "$kroot" -S "$kver" --show-depends "$m" 2>/dev/null || true)
    done
    cp "$repo/tests/Kernel/guest-init.sh" "$ird/init"
    chmod +x "$ird/init"
    (cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp"
    mv "$initrd.tmp" "$initrd"
    rm -rf "$ird"
fi
flock -u 9

# ---- one run ---------------------------------------------------------------------------------------------------
run=$(mktemp -d "$vmdir/run.XXXXXX")
qpid=""
cleanup() {
    if [[ -n "$qpid" ]] && kill -0 "$qpid" 2>/dev/null; then kill "$qpid" 2>/dev/null || true; sleep 1; kill -9 "$qpid" 2>/dev/null || true; fi
    rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$run/results"
{
    echo "cd $(printf '%q' "$PWD") || exit 125"
    echo "export LVS_VM_RESULTS=/xfer/results LVS_VM=1 HOME=/root DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1"
    echo "export PATH=$(printf '%q' "$PATH")"
    # the guest kernel's modules with modules.dep, for modprobe -d (tests that unload and reload ip_vs)
    echo "export LVS_VM_MODULES=$(printf '%q' "$kroot")"
    [[ -n "${NUGET_PACKAGES:-}" ]] && echo "export NUGET_PACKAGES=$(printf '%q' "$NUGET_PACKAGES")"
    printf '%q ' "$@"; echo
} > "$run/command.sh"

accel=tcg
if [[ -w /dev/kvm && ! -e /sys/module/kvm_pvm ]]; then accel=kvm; fi
start=$(date +%s)
timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel "$accel" -M pc -cpu max -m "$memory" -smp 1 \
    -nodefaults -no-user-config -display none -no-reboot -serial stdio -monitor none \
    -kernel "$vmdir/kernel/vmlinux" -initrd "$initrd" \
    -append "console=ttyS0 quiet loglevel=0 panic=-1 tsc=reliable" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$run,mount_tag=xfer,security_model=none" \
    </dev/null &
qpid=$!
set +e
wait "$qpid"
qrc=$?
set -e
qpid=""
echo "vm.sh: guest finished in $(( $(date +%s) - start )) s" >&2
if [[ $qrc -eq 124 || $qrc -eq 137 ]]; then
    echo "vm.sh: the guest did not finish within $timeout_s s and was killed" >&2
    rc=124
elif [[ -f "$run/rc" ]]; then
    rc=$(cat "$run/rc")
else
    echo "vm.sh: the guest ended without a result (qemu exit code $qrc)" >&2
    rc=125
fi
if [[ -n "$results" ]]; then
    mkdir -p "$results"
    cp -r "$run/results/." "$results/" 2>/dev/null || true
fi
exit "$rc"
