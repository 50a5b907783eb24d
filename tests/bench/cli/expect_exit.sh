#!/bin/sh
# expect_exit.sh CODE TEXT COMMAND...: passes when COMMAND exits with status CODE and what it
# printed (stdout and stderr) contains TEXT.
code=$1
text=$2
shift 2
out=$("$@" 2>&1)
rc=$?
if [ "$rc" -ne "$code" ]; then
  printf 'expected exit %s, got %s from: %s\n%s\n' "$code" "$rc" "$*" "$out"
  exit 1
fi
case $out in
  *"$text"*) exit 0 ;;
esac
printf 'expected "%s" in the output of: %s\n%s\n' "$text" "$*" "$out"
exit 1
