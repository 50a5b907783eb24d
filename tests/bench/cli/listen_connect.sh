#!/bin/sh
# listen_connect.sh CODE LIGHTPATH ARGS...: runs two ranks without mpirun (rank 0 with
# --listen on a free port, rank 1 with --connect to it); passes when both exit with CODE.
code=$1
lightpath=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$lightpath" "$@" --listen 127.0.0.1:0 --ranks 2 >"$log" 2>&1 &
first=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  kill "$first" 2>/dev/null
  echo "rank 0 never listened:"; cat "$log"; exit 1
fi
"$lightpath" "$@" --connect 127.0.0.1:"$port"
second=$?
wait "$first"
first_rc=$?
cat "$log"
if [ "$first_rc" -ne "$code" ] || [ "$second" -ne "$code" ]; then
  echo "expected both ranks to exit $code, got $first_rc and $second"; exit 1
fi
