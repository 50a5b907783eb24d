#!/usr/bin/env bash
# A peer killed mid-run: the survivor exits 3 within --timeout plus a few seconds, naming it.
source "$(dirname "$0")/lib.sh"
transport=$1
skip_unless_available "$transport"
if [ "$transport" != mpi ]; then  # the mpi transport needs mpirun
start_listener p2p --transport "$transport" --sizes 8 --iters 100000000 --timeout 3s
"$LIGHTPATH" p2p --transport "$transport" --sizes 8 --iters 100000000 --timeout 3s \
  --connect "127.0.0.1:$port" >"$work/connect.out" 2>&1 &
peer=$!
sleep 2
kill -9 "$peer"
killed=$(date +%s)
rc=0
wait "$listen_pid" || rc=$?
took=$(( $(date +%s) - killed ))
cat "$work/listen.out"
[ "$rc" = 3 ] || fail "survivor exited $rc, expected 3"
[ "$took" -le 8 ] || fail "survivor took ${took}s to notice"
grep -Eq "rank 1" "$work/listen.out" || fail "the message does not name the lost rank"
fi

# Under mpirun: one rank SIGKILLed; the job ends non-zero, promptly, and the lost rank is named.
"$MPIRUN" --oversubscribe --bind-to none -np 2 "$LIGHTPATH" p2p --transport "$transport" --sizes 8 \
  --iters 100000000 --timeout 3s >"$work/mpi.out" 2>&1 &
job=$!
victim=""
for _ in $(seq 100); do
  victim=$(pgrep -f "lightpath p2p --transport $transport --sizes 8 --iters 100000000" -n -P "$(pgrep -P $job | tr '\n' ',' | sed 's/,$//')" 2>/dev/null || true)
  [ -n "$victim" ] || victim=$(pgrep -n -f "^$LIGHTPATH p2p --transport $transport --sizes 8 --iters 100000000" || true)
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] || fail "no rank to kill"
sleep 2
kill -9 "$victim"
killed=$(date +%s)
rc=0
wait "$job" || rc=$?
took=$(( $(date +%s) - killed ))
cat "$work/mpi.out"
[ "$rc" != 0 ] || fail "mpirun exited 0 after losing a rank"
[ "$took" -le 10 ] || fail "the job took ${took}s to end"
grep -Eiq "rank [01]" "$work/mpi.out" || fail "the output does not name the lost rank"
echo "lost peers are noticed and named"
