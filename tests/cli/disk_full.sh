#!/usr/bin/env bash
# A full disk: every output fails with a clear error and leaves what was there untouched (no
# truncated file, no temporary left behind). Needs root to mount a tiny tmpfs; skips otherwise.
source "$(dirname "$0")/lib.sh"
disk="$work/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=256k tmpfs "$disk" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (needs root): the disk-full case is untested"; exit 77
fi
trap 'umount "$disk" 2>/dev/null; rm -rf "$work"' EXIT
"$LIGHTPATH" traffic gen --pattern ring --count 4 -o "$disk/keep.json"
mpirun_np 2 p2p --sizes 8 --iters 10 --json "$disk/keep.jsonl" >/dev/null 2>&1 || fail "first run"
cp "$disk/keep.json" "$work/keep.json.orig"
cp "$disk/keep.jsonl" "$work/keep.jsonl.orig"
dd if=/dev/zero of="$disk/fill" bs=4k 2>/dev/null || true   # until the disk is full
expect_exit 1 "keep.json.*No space left on device" \
  "$LIGHTPATH" traffic gen --pattern alltoall --count 300 -o "$disk/keep.json"
expect_exit 1 "No space left on device" mpirun_np 2 p2p --sizes 8:4K --iters 10 --json "$disk/keep.jsonl"
expect_exit 1 "No space left on device" mpirun_np 2 p2p --sizes 8 --iters 10 --metrics-out "$disk/m.prom"
cmp -s "$disk/keep.json" "$work/keep.json.orig" || fail "a failed write changed an existing file"
cmp -s "$disk/keep.jsonl" "$work/keep.jsonl.orig" || fail "a failed append changed the results"
[ ! -e "$disk/m.prom" ] || fail "a failed write left a file"
leftovers=$(find "$disk" -name '*.tmp*' | wc -l)
[ "$leftovers" = 0 ] || fail "temporary files left behind: $(find "$disk" -name '*.tmp*')"
echo "a full disk gets clear errors and loses nothing"
