#!/usr/bin/env bash
# Writes the uncompressed ELF kernel inside a bzImage to stdout: under TCG it boots about 3.5 s faster (PVH entry).
# Looks for each compressor's magic bytes and keeps the first payload that decompresses to an ELF file.
set -euo pipefail
img="$1"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
try() { # magic (printf escapes), decompressor
    local pos
    for pos in $(LC_ALL=C grep -obUaP "$1" "$img" 2>/dev/null | cut -d: -f1 | head -n 5); do
        tail -c +"$((pos + 1))" "$img" | $2 > "$tmp" 2>/dev/null || true
        if [[ "$(head -c 4 "$tmp" | od -An -c | tr -d ' ')" == '177ELF' ]]; then cat "$tmp"; exit 0; fi
    done
}
try '\x1f\x8b\x08' 'gzip -dc'
try '\xfd7zXZ\x00' 'xz -dc'
try '\x28\xb5\x2f\xfd' 'zstd -dc'
try '\x5d\x00\x00\x00' 'xz -dc --format=lzma'
echo "extract-vmlinux: no ELF payload found in $img" >&2
exit 1
