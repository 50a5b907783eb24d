#!/usr/bin/env bash
# Bad flags fail before anything runs: exit 2, a message naming the flag, no output file.
source "$(dirname "$0")/lib.sh"
out="$work/never.jsonl"
expect_exit 2 "--transport nosuch: unknown transport; available here: mpi" \
  mpirun_np 2 p2p --transport nosuch --json "$out"
if "$LIGHTPATH" transports | grep -q "^verbs .*unavailable"; then
  expect_exit 2 "--transport verbs: cannot run here: .*; available here: mpi" mpirun_np 2 p2p --transport verbs --json "$out"
fi
expect_exit 2 "--sizes: .*not a size" mpirun_np 2 p2p --sizes 1:lots --json "$out"
expect_exit 2 "--sizes" mpirun_np 2 p2p --sizes 64:8 --json "$out"
expect_exit 2 "--mode: 'latency' is not a mode" mpirun_np 2 p2p --mode latency --json "$out"
expect_exit 2 "--timeout" mpirun_np 2 p2p --timeout soon --json "$out"
expect_exit 2 "--gap is for --mode lat" mpirun_np 2 p2p --mode bw --gap 10us --json "$out"
expect_exit 2 "--gap" mpirun_np 2 p2p --gap soon --json "$out"
expect_exit 2 "--gap: must be positive" mpirun_np 2 p2p --gap 0us --json "$out"
expect_exit 2 "--duration and --iters" mpirun_np 2 p2p --duration 1s --iters 5 --json "$out"
expect_exit 2 "at least 2 ranks" mpirun_np 1 p2p --sizes 8 --json "$out"
expect_exit 2 "--listen and --connect" "$LIGHTPATH" p2p --listen :0 --connect 127.0.0.1:1
expect_exit 2 "--connect" "$LIGHTPATH" p2p --connect nonsense
# Ranks started with different arguments are caught at bootstrap, on every rank.
expect_exit 2 "ranks were started with different arguments: rank\(s\) 1 differ" \
  "$MPIRUN" --oversubscribe -np 1 "$LIGHTPATH" p2p --sizes 8 --json "$out" : -np 1 "$LIGHTPATH" p2p --sizes 16 --json "$out"
# The listener binds loopback unless told otherwise, and gives up on peers after --timeout.
expect_exit 3 "--listen 127\.0\.0\.1:[0-9]+: 0 of 1 peer\(s\) connected within 1000 ms" \
  "$LIGHTPATH" p2p --listen :0 --timeout 1s --json "$out"
[ ! -e "$out" ] || fail "a failed run wrote $out"
echo "every bad input was refused"
