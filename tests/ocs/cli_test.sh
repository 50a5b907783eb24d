#!/usr/bin/env bash
# End-to-end `lightpath ocs`: the README's example, determinism, planning again from the
# target, and bad inputs (exit 2, the message names the file and the problem, nothing
# written). Usage: cli_test.sh LIGHTPATH EXAMPLES_DIR
set -euo pipefail
lightpath=$1
examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

fabric=$examples/fabric-8.json
traffic=$examples/traffic-8.json
mesh=$examples/mesh-8.json

# The example: plan, verify, report, eval.
"$lightpath" ocs plan --fabric "$fabric" --traffic "$traffic" --current "$mesh" -o proposal.json > plan.out
grep -q "^verified: " plan.out || fail "plan did not report verification"
"$lightpath" ocs verify --fabric "$fabric" --proposal proposal.json | grep -q "checks passed" || fail "verify"
"$lightpath" ocs report proposal.json -o report.md > /dev/null
"$lightpath" ocs report proposal.json -o report.html > /dev/null
grep -q "^## Stages" report.md || fail "report.md has no stages"
grep -q "<svg id=\"heatmap\"" report.html || fail "report.html has no heatmap"
"$lightpath" ocs eval --fabric "$fabric" --config "$mesh" --traffic "$traffic" --against "$mesh" --json eval.json > eval.out
grep -q "churn 0" eval.out || fail "eval against itself"
grep -q '"format": "lightpath.ocs-eval/1"' eval.json || fail "eval JSON"

# A rank-level matrix from a run whose 8 ranks all shared one machine: placed on the fabric.
python3 - <<'PY'
import json
n = 8
m = [[0] * n for _ in range(n)]
for r in range(n):
    m[r][(r + 1) % n] = 4 * 10**11
json.dump({"format": "lightpath.traffic/1", "level": "rank", "unit": "bytes", "duration_s": 10,
           "names": [str(r) for r in range(n)], "hosts": ["laptop"] * n, "matrix": m}, open("ranks.json", "w"))
PY
"$lightpath" ocs plan --fabric "$fabric" --traffic ranks.json --current "$mesh" -o ranks-proposal.json > /dev/null 2> ranks.err
grep -q "ranks.json: the 8 ranks ran on 'laptop'; placed evenly on the 16 hosts of fabric 'example-8'" ranks.err \
  || fail "rank placement note: $(cat ranks.err)"

# A port failed under a circuit in place: the circuit is left out, the plan never uses the port.
python3 - "$fabric" "$mesh" <<'PY'
import json, sys
f = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
dead = c["circuits"][0]
f["ocs"][0]["failed_ports"] = [dead["ports"][0]]
json.dump(f, open("failed.json", "w"))
PY
"$lightpath" ocs plan --fabric failed.json --traffic "$traffic" --current "$mesh" -o failed-proposal.json > /dev/null 2> failed.err
grep -q "on a failed port: left out" failed.err || fail "failed port note: $(cat failed.err)"
"$lightpath" ocs verify --fabric failed.json --proposal failed-proposal.json > /dev/null || fail "verify with a failed port"

# Same inputs, byte-identical proposal.
"$lightpath" ocs plan --fabric "$fabric" --traffic "$traffic" --current "$mesh" -o again.json > /dev/null
cmp -s proposal.json again.json || fail "two plans of the same inputs differ"

# Planning again from the proposal's target changes nothing.
python3 -c 'import json,sys; d=json.load(open("proposal.json")); json.dump(d["target"], open("target.json","w"))'
"$lightpath" ocs plan --fabric "$fabric" --traffic "$traffic" --current target.json -o replan.json > /dev/null
python3 -c 'import json,sys; d=json.load(open("replan.json")); sys.exit(0 if d["metrics"]["after"]["churn"] == 0 and d["stages"] == [] else 1)' \
  || fail "planning again from the target changed circuits"

# A tampered proposal fails verify with exit 1.
python3 -c 'import json; d=json.load(open("proposal.json")); d["metrics"]["after"]["direct_fraction"]=0.5; json.dump(d, open("bad.json","w"))'
set +e
"$lightpath" ocs verify --fabric "$fabric" --proposal bad.json > verify.out
rc=$?
set -e
[ $rc -eq 1 ] || fail "verify of a tampered proposal exited $rc"
grep -q "bad.json: metrics.after.direct_fraction: says 0.5" verify.out || fail "verify message: $(cat verify.out)"

# Bad inputs: exit 2, the file and the problem named, no output.
expect_bad() {  # expect_bad NAME WANT -- command...
  local name=$1 want=$2
  shift 3
  rm -f out.json out.md
  set +e
  "$@" > /dev/null 2> err.txt
  local rc=$?
  set -e
  [ $rc -eq 2 ] || fail "$name: exit $rc, expected 2 ($(cat err.txt))"
  grep -qF -- "$want" err.txt || fail "$name: message lacks '$want': $(cat err.txt)"
  [ ! -e out.json ] && [ ! -e out.md ] || fail "$name: output written"
}
python3 - "$fabric" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
f["blocks"][1]["uplinks"][0] = f["blocks"][0]["uplinks"][0]
json.dump(f, open("twice.json", "w"))
PY
expect_bad "port wired twice" "twice.json: blocks[1].uplinks[0].port: ocs0 port 0 is wired twice" -- \
  "$lightpath" ocs plan --fabric twice.json --traffic "$traffic" -o out.json
printf '# duration_s=1\n# level=block\nb0,bx,1000\n' > unknown.csv
expect_bad "unknown block" "unknown.csv: block 'bx' not in fabric 'example-8'" -- \
  "$lightpath" ocs plan --fabric "$fabric" --traffic unknown.csv -o out.json
printf '# duration_s=1\nnode001,node003,-5\n' > negative.csv
expect_bad "negative traffic" "negative.csv" -- "$lightpath" ocs plan --fabric "$fabric" --traffic negative.csv -o out.json
printf '# duration_s=1\nnode001,node003,nan\n' > nan.csv
expect_bad "NaN traffic" "nan.csv" -- "$lightpath" ocs plan --fabric "$fabric" --traffic nan.csv -o out.json
printf '{"format": "lightpath.ocs-config/9", "circuits": []}' > config9.json
expect_bad "unknown config format" "config9.json: format: unknown format" -- \
  "$lightpath" ocs plan --fabric "$fabric" --traffic "$traffic" --current config9.json -o out.json
expect_bad "missing fabric" "nofile.json" -- "$lightpath" ocs plan --fabric nofile.json --traffic "$traffic" -o out.json
expect_bad "capacity out of range" "--min-capacity" -- \
  "$lightpath" ocs plan --fabric "$fabric" --traffic "$traffic" --min-capacity 2 -o out.json
expect_bad "pair circuits beyond the ports" "--min-pair-circuits: 2 circuits to each of 7 other blocks needs 14 uplinks" -- \
  "$lightpath" ocs plan --fabric "$fabric" --traffic "$traffic" --min-pair-circuits 2 -o out.json
expect_bad "report name" "-o: the report's name must end in .md or .html" -- \
  "$lightpath" ocs report proposal.json -o out.txt
printf '{"format": "lightpath.ocs-proposal/1"}' > thin.json
expect_bad "thin proposal" "thin.json: fabric: missing" -- "$lightpath" ocs report thin.json -o out.md
echo "ocs cli: all checks passed"
