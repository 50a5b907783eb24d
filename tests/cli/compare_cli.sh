#!/usr/bin/env bash
# compare: identical runs pass, an injected 10% regression fails with exit 1, unmatched points
# are listed, bad files exit 2.
source "$(dirname "$0")/lib.sh"
mpirun_np 2 p2p --sizes 8:4K:8 --iters 200 --json "$work/base.jsonl" >/dev/null 2>&1 || fail "p2p run failed"
"$LIGHTPATH" compare "$work/base.jsonl" "$work/base.jsonl" >"$work/same.txt" || { cat "$work/same.txt"; fail "identical runs flagged"; }
grep -q "4 matched, 0 regression" "$work/same.txt" || { cat "$work/same.txt"; fail "summary line"; }
# The same run with 64 B latency 10% worse and the 4K point missing.
$PY - "$work/base.jsonl" "$work/new.jsonl" <<'PYEOF'
import json, sys
out = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["size"] == 4096: continue
    if r["size"] == 64: r["latency_us"]["p50"] *= 1.10
    out.append(json.dumps(r))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PYEOF
expect_exit 1 "1 regression\(s\) beyond 5%" "$LIGHTPATH" compare "$work/base.jsonl" "$work/new.jsonl"
grep -q "size=64 .*REGRESSION" "$work/out" || fail "the regressed point is not marked"
grep -q "only in base: p2p .*size=4096" "$work/out" || fail "the unmatched point is not listed"
"$LIGHTPATH" compare "$work/base.jsonl" "$work/new.jsonl" --threshold 15% >/dev/null || fail "15% threshold"
echo '{"format": "lightpath.result/1"' >"$work/broken.jsonl"
expect_exit 2 "broken.jsonl:1" "$LIGHTPATH" compare "$work/base.jsonl" "$work/broken.jsonl"
expect_exit 2 "--threshold" "$LIGHTPATH" compare "$work/base.jsonl" "$work/base.jsonl" --threshold much
echo "compare checks out"
