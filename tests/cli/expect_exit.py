#!/usr/bin/env python3
"""Runs a command and checks its exit status and that stderr says what it should.

usage: expect_exit.py STATUS PATTERN -- COMMAND...
PATTERN is a regular expression searched for in what it printed (e.g. the flag or file named).
"""
import re
import subprocess
import sys


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    status, pattern, command = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    ok = True
    if run.returncode != status:
        print(f"exit status {run.returncode}, expected {status}")
        ok = False
    if not re.search(pattern, run.stdout + run.stderr):
        print(f"the output does not match {pattern!r}")
        ok = False
    if not ok:
        print("stdout:", run.stdout, "stderr:", run.stderr, sep="\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
