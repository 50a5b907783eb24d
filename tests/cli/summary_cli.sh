#!/usr/bin/env bash
# summary: a real run judged against budgets: generous ones pass (exit 0), impossible ones fail
# (exit 1) naming what missed; a bad budget file exits 2.
source "$(dirname "$0")/lib.sh"
mpirun_np 2 p2p --sizes 8:1K:8 --iters 200 --json "$work/r.jsonl" >/dev/null 2>&1 || fail "p2p"
mpirun_np 2 rpc --transport tcp --rate 500 --warmup 100ms --duration 400ms --request-timeout 20s \
  --json "$work/r.jsonl" >/dev/null 2>&1 || fail "rpc"
echo '{"format": "lightpath.slo/1", "pair_p99_us": 1e6, "rpc_p99_us": 1e6}' >"$work/loose.json"
echo '{"format": "lightpath.slo/1", "pair_p99_us": 0.001, "rpc_p99_us": 0.001}' >"$work/tight.json"
"$LIGHTPATH" summary "$work/r.jsonl" --slo "$work/loose.json" >"$work/ok.txt" || { cat "$work/ok.txt"; fail "loose budgets failed"; }
cat "$work/ok.txt"
grep -q "PASS     latency circle: 100.0% of 1 pairs" "$work/ok.txt" || fail "latency circle verdict"
grep -q "PASS     request latency (tcp 64/64 B): p99 within 1 s up to [0-9.]* req/s" "$work/ok.txt" || fail "rpc verdict"
grep -q "NO DATA  all-reduce" "$work/ok.txt" || fail "no all-reduce was run"
expect_exit 1 "FAIL     latency circle: 0.0% of 1 pairs" "$LIGHTPATH" summary "$work/r.jsonl" --slo "$work/tight.json"
grep -q "FAIL     request latency" "$work/out" || fail "the rpc budget should fail too"
"$LIGHTPATH" summary "$work/r.jsonl" --slo "$work/loose.json" --json >"$work/s.json"
$PY -c "import json; c=json.load(open('$work/s.json')); v={x['check']:x['status'] for x in c[0]['verdicts']}; assert v['latency circle']=='pass', v"
echo '{"format": "lightpath.slo/1", "pair_p99": 5}' >"$work/typo.json"
expect_exit 2 "typo.json: pair_p99: unknown budget" "$LIGHTPATH" summary "$work/r.jsonl" --slo "$work/typo.json"
expect_exit 2 "nosuch.jsonl" "$LIGHTPATH" summary "$work/nosuch.jsonl"
echo "summary checks out"
