#!/usr/bin/env bash
# traffic gen | show | merge | aggregate from the command line, and their bad inputs.
source "$(dirname "$0")/lib.sh"
data=$(dirname "$0")/../data
lp() { "$LIGHTPATH" "$@"; }

lp traffic gen --pattern ring --fabric "$data/fabric-4.json" --total 4000 --duration 2s -o "$work/ring.json"
lp traffic show "$work/ring.json" >"$work/show.txt"
grep -q "block-level traffic: 4 names, 2 s" "$work/show.txt" || { cat "$work/show.txt"; fail "show header"; }
grep -q "b0  *b1  *1000" "$work/show.txt" || { cat "$work/show.txt"; fail "ring pairs"; }
lp traffic gen --pattern gravity --count 6 --seed 5 -o "$work/g1.json"
lp traffic gen --pattern gravity --count 6 --seed 5 -o "$work/g2.json"
cmp -s "$work/g1.json" "$work/g2.json" || fail "gen is not reproducible"
lp traffic gen --pattern alltoall --fabric "$data/fabric-4.json" --level host --total 56K -o "$work/hosts.csv"
grep -q "^# level=host" "$work/hosts.csv" || fail "a .csv output is the CSV edge list"

# merge: sums add, --peak keeps the highest rate per pair.
lp traffic merge "$work/ring.json" "$work/ring.json" -o "$work/sum.json"
$PY -c "import json; m=json.load(open('$work/sum.json')); assert m['matrix'][0][1]==2000 and m['duration_s']==4, m"
lp traffic merge --peak "$work/ring.json" "$work/ring.json" -o "$work/peak.json"
$PY -c "import json; m=json.load(open('$work/peak.json')); assert m['matrix'][0][1]==500 and m['duration_s']==1, m"

# aggregate a rank-level matrix: ranks on hosts h0..h7 (by --rank-hosts), onto blocks.
$PY - "$work/ranks.json" <<'PYEOF'
import json, sys
n = 8
m = [[0] * n for _ in range(n)]
for i in range(n): m[i][(i + 1) % n] = 100 * (i + 1)
json.dump({"format": "lightpath.traffic/1", "level": "rank", "unit": "bytes", "duration_s": 1,
           "names": [str(i) for i in range(n)], "hosts": ["vm"] * n, "matrix": m}, open(sys.argv[1], "w"))
PYEOF
expect_exit 2 "ranks.json: host 'vm' not in fabric 'test-4'" \
  lp traffic aggregate "$work/ranks.json" --fabric "$data/fabric-4.json" -o "$work/blocks.json"
lp traffic aggregate "$work/ranks.json" --fabric "$data/fabric-4.json" --rank-hosts spread -o "$work/blocks.json"
$PY - "$work/blocks.json" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["level"] == "block" and m["names"] == ["b0", "b1", "b2", "b3"], m
x = m["matrix"]
# ranks 2k, 2k+1 on block k: rank 2k -> 2k+1 stays inside, 2k+1 -> 2k+2 crosses to block k+1.
assert [x[k][k] for k in range(4)] == [100, 300, 500, 700], x
assert [x[k][(k + 1) % 4] for k in range(4)] == [200, 400, 600, 800], x
assert sum(map(sum, x)) == sum(100 * (i + 1) for i in range(8))
PYEOF
lp traffic aggregate "$work/ranks.json" --fabric "$data/fabric-4.json" --rank-hosts h0,h0,h1,h1,h2,h2,h3,h3 \
  --level host -o "$work/h.json"

# Bad inputs: exit 2, the file or flag named, nothing written.
expect_exit 2 "--pattern: 'star' is not a pattern" lp traffic gen --pattern star --count 3 -o "$work/x.json"
expect_exit 2 "--total" lp traffic gen --pattern ring --count 3 --total lots -o "$work/x.json"
expect_exit 2 "--rank-hosts: 2 hosts given for 8 ranks" \
  lp traffic aggregate "$work/ranks.json" --fabric "$data/fabric-4.json" --rank-hosts a,b -o "$work/x.json"
expect_exit 2 "--level" lp traffic aggregate "$work/ranks.json" --fabric "$data/fabric-4.json" --level rack -o "$work/x.json"
printf '{"format": "lightpath.traffic/1", "level": "host", "unit": "bytes", "duration_s": 1, "names": ["a","b"], "matrix": [[0, -5], [1]]}' >"$work/neg.json"
expect_exit 2 "neg.json: matrix" lp traffic show "$work/neg.json"
expect_exit 2 "neg.json" lp traffic merge "$work/ring.json" "$work/neg.json" -o "$work/x.json"
expect_exit 2 "hosts.csv: host-level traffic cannot be merged with block-level" \
  lp traffic merge "$work/ring.json" "$work/hosts.csv" -o "$work/x.json"
[ ! -e "$work/x.json" ] || fail "a failed command wrote its output"
echo "traffic commands check out"
