#!/usr/bin/env bash
# A rank SIGKILLed mid-run: every other rank exits non-zero within --timeout plus a few seconds,
# naming the lost rank; nothing hangs.
#   peer_lost.sh TRANSPORT BENCHMARK ARGS...   (ARGS make the run last far longer than the test)
source "$(dirname "$0")/lib.sh"
transport=$1; shift
skip_unless_available "$transport"
run=("$@" --transport "$transport" --timeout 3s)

# Without mpirun (the mpi transport needs it): rank 0 listens, rank 1 connects and is killed.
if [ "$transport" != mpi ]; then
  start_listener "${run[@]}"
  "$LIGHTPATH" "${run[@]}" --connect "127.0.0.1:$port" >"$work/connect.out" 2>&1 &
  peer=$!
  sleep 2
  kill -9 "$peer"
  killed=$(date +%s)
  rc=0
  wait "$listen_pid" || rc=$?
  took=$(( $(date +%s) - killed ))
  cat "$work/listen.out"
  [ "$rc" = 3 ] || fail "the surviving rank exited $rc, expected 3 (peer lost)"
  [ "$took" -le 8 ] || fail "the surviving rank took ${took}s to notice"
  grep -Eq "rank 1" "$work/listen.out" || fail "the message does not name the lost rank"
fi

# Under mpirun: rank 1 SIGKILLed; the job ends non-zero, promptly, naming the lost rank.
"$MPIRUN" --oversubscribe --bind-to none -np 2 "$LIGHTPATH" "${run[@]}" >"$work/mpi.out" 2>&1 &
job=$!
victim=""
for _ in $(seq 100); do
  for pid in $(pgrep -P "$job"); do
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1"; then victim=$pid; fi
  done
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] || fail "no rank 1 to kill"
sleep 2
kill -9 "$victim"
killed=$(date +%s)
rc=0
wait "$job" || rc=$?
took=$(( $(date +%s) - killed ))
cat "$work/mpi.out"
[ "$rc" != 0 ] || fail "mpirun exited 0 after losing a rank"
[ "$took" -le 10 ] || fail "the job took ${took}s to end"
grep -Eiq "rank 1" "$work/mpi.out" || fail "the output does not name the lost rank"
echo "a lost rank is noticed and named"
