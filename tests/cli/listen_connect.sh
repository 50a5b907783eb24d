#!/usr/bin/env bash
# Two ranks without mpirun (rank 0 --listen on a free port, rank 1 --connect to it): passes when
# both exit with CODE.   listen_connect.sh CODE ARGS...
source "$(dirname "$0")/lib.sh"
code=$1; shift
start_listener "$@" --ranks 2
rc1=0
"$LIGHTPATH" "$@" --connect "127.0.0.1:$port" || rc1=$?
rc0=0
wait "$listen_pid" || rc0=$?
cat "$work/listen.out"
[ "$rc0" = "$code" ] && [ "$rc1" = "$code" ] || fail "expected both ranks to exit $code, got $rc0 and $rc1"
