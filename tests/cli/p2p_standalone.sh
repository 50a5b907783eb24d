#!/usr/bin/env bash
# p2p without mpirun, perftest style: one process listens, the other connects.
source "$(dirname "$0")/lib.sh"
transport=$1
skip_unless_available "$transport"
start_listener p2p --transport "$transport" --sizes 8:4K:8 --iters 50 --check --json "$work/r.jsonl"
"$LIGHTPATH" p2p --transport "$transport" --sizes 8:4K:8 --iters 50 --check \
  --connect "127.0.0.1:$port" >"$work/connect.out" 2>&1 || { cat "$work/connect.out"; fail "connect side failed"; }
wait "$listen_pid" || { cat "$work/listen.out"; fail "listen side failed"; }
cat "$work/listen.out"
[ "$(wc -l <"$work/r.jsonl")" = 4 ] || fail "expected 4 records"
grep -q '"launcher":"tcp"' "$work/r.jsonl" || fail "records do not say the tcp bootstrap launched them"
