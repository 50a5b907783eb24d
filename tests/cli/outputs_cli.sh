#!/usr/bin/env bash
# Result files: --metrics-out in the Prometheus text format, the progress line only on a
# terminal, and a failed run leaves existing files untouched.
source "$(dirname "$0")/lib.sh"
mpirun_np 2 p2p --sizes 8:64:8 --iters 50 --metrics-out "$work/m.prom" --json "$work/r.jsonl" >/dev/null 2>&1 \
  || fail "p2p with --metrics-out failed"
$PY - "$work/m.prom" <<'PYEOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\} [-+0-9.eE]+$')
names = set()
for l in lines:
    if l.startswith("# HELP ") or l.startswith("# TYPE "):
        continue
    assert sample.match(l), l
    names.add(l.split("{")[0])
assert names == {"lightpath_p2p_latency_seconds", "lightpath_p2p_bandwidth_bytes_per_second"}, names
assert sum(1 for l in lines if 'quantile="0.5"' in l) == 2, lines
PYEOF

# Progress: shown when the launcher's stderr is a terminal, never in a log.
mpirun_np 2 p2p --sizes 8:64:8 --iters 50 >"$work/out.txt" 2>"$work/err.txt" || fail "p2p failed"
if grep -q "about .* left\|(1/2)" "$work/err.txt"; then fail "progress went to a file"; fi
if command -v script >/dev/null; then
  script -qec "$MPIRUN --oversubscribe --bind-to none -np 2 $LIGHTPATH p2p --sizes 8:64:8 --iters 20000" "$work/tty" >/dev/null
  grep -q "p2p lat: size 8 (1/2)" "$work/tty" || { cat -v "$work/tty"; fail "no progress line on a terminal"; }
fi

# A run that fails keeps what was there.
cp "$work/r.jsonl" "$work/keep.jsonl"
cp "$work/m.prom" "$work/keep.prom"
mpirun_np 2 p2p --transport nosuch --json "$work/r.jsonl" --metrics-out "$work/m.prom" >/dev/null 2>&1 && fail "bad run succeeded"
cmp -s "$work/r.jsonl" "$work/keep.jsonl" || fail "a failed run touched the results"
cmp -s "$work/m.prom" "$work/keep.prom" || fail "a failed run touched the metrics"
expect_exit 1 "/nonexistent-dir/m.prom" mpirun_np 2 p2p --sizes 8 --iters 5 --metrics-out /nonexistent-dir/m.prom
echo "outputs check out"
