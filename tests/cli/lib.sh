# Shared helpers for the end-to-end CLI tests. Each test script sources this, gets a scratch
# directory in $work (removed on exit) and fails with a message through fail().
set -euo pipefail
LIGHTPATH=${LIGHTPATH:?set LIGHTPATH to the lightpath binary}
MPIRUN=${MPIRUN:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PY=/usr/bin/python3

fail() { echo "FAIL: $*" >&2; exit 1; }

mpirun_np() {  # mpirun_np N ARGS...: N ranks of lightpath on this machine
  local n=$1; shift
  "$MPIRUN" --oversubscribe --bind-to none -np "$n" "$LIGHTPATH" "$@"
}

# expect_exit CODE PATTERN CMD...: runs CMD, requires exit status CODE and stderr+stdout
# matching the extended regex PATTERN.
expect_exit() {
  local want=$1 pattern=$2; shift 2
  local rc=0
  "$@" >"$work/out" 2>&1 || rc=$?
  if [ "$rc" != "$want" ]; then
    cat "$work/out" >&2; fail "'$*' exited $rc, expected $want"
  fi
  grep -Eq -- "$pattern" "$work/out" || { cat "$work/out" >&2; fail "'$*' output lacks /$pattern/"; }
}

# Starts a --listen rank in the background on a free loopback port; sets $listen_pid and
# $port (read from its "listening on HOST:PORT" line). Output goes to $work/listen.out.
start_listener() {
  : >"$work/listen.out"  # there before the listener opens it, for the loop below to read
  "$LIGHTPATH" "$@" --listen 127.0.0.1:0 >>"$work/listen.out" 2>&1 &
  listen_pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\) .*/\1/p' "$work/listen.out" | head -1)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  cat "$work/listen.out" >&2; fail "the listener never said which port it took"
}

# skip_unless_available TRANSPORT: exits 77 (CTest's skip) with the reason when the transport
# cannot run here, e.g. verbs without an RDMA device.
skip_unless_available() {
  local line
  line=$("$LIGHTPATH" transports | awk -v t="$1" '$1 == t')
  case "$line" in
    *" available") ;;
    "") echo "SKIP: this build has no $1 transport"; exit 77 ;;
    *) echo "SKIP: $1 cannot run here: ${line#*unavailable: }"; exit 77 ;;
  esac
}
