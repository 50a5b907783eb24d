#!/usr/bin/env bash
# topo host agrees with hwloc's own tools; topo fabric summarizes and rejects bad files.
source "$(dirname "$0")/lib.sh"
data=$(dirname "$0")/../data
"$LIGHTPATH" topo host --json >"$work/host.json"
"$LIGHTPATH" topo host | grep -q "hardware thread" || fail "topo host text lacks the counts"
for kind in package numanode core pu; do
  want=$(hwloc-calc --number-of "$kind" all)
  key=$(case $kind in package) echo packages;; numanode) echo numa_nodes;; core) echo cores;; pu) echo pus;; esac)
  got=$($PY -c "import json; print(json.load(open('$work/host.json'))['$key'])")
  [ "$got" = "$want" ] || fail "topo host says $got ${key}, hwloc-calc says $want"
done
# Every network interface hwloc lists with a PCI device shows up too.
for net in $(lstopo-no-graphics --only osdev 2>/dev/null | sed -n 's/.*Net "\([^"]*\)".*/\1/p'); do
  grep -q "\"$net\"" "$work/host.json" || fail "topo host misses network device $net"
done

"$LIGHTPATH" topo fabric "$data/fabric-4.json" --config "$data/ring-4.json" >"$work/f.txt"
grep -q "fabric test-4: 4 blocks, 8 hosts, 1 OCS (16 ports, 0 failed)" "$work/f.txt" || { cat "$work/f.txt"; fail "summary"; }
grep -q "connected, diameter 2" "$work/f.txt" || { cat "$work/f.txt"; fail "a ring of 4 has diameter 2"; }
"$LIGHTPATH" topo fabric "$data/fabric-4.json" --config "$data/ring-4.json" --json >"$work/f.json"
$PY -c "import json; j=json.load(open('$work/f.json')); assert j['connected'] and j['diameter']==2 and j['block_circuits'][0]==[0,1,0,1], j"

# Bad files: every problem at once, with file and JSON path; exit 2.
sed 's/"port": 5/"port": 99/; s/"name": "b2"/"name": "b1"/' "$data/fabric-4.json" >"$work/bad.json"
expect_exit 2 "bad.json: blocks\[1\].uplinks\[1\].port: .*99" "$LIGHTPATH" topo fabric "$work/bad.json"
grep -q "duplicate" "$work/out" || fail "the duplicate block name is not reported with the bad port"
echo '{"format": "lightpath.fabric/9"}' >"$work/v9.json"
expect_exit 2 "v9.json: .*lightpath.fabric/9" "$LIGHTPATH" topo fabric "$work/v9.json"
expect_exit 2 "nosuch.json" "$LIGHTPATH" topo fabric "$work/nosuch.json"
echo '{"format":"lightpath.ocs-config/1","circuits":[{"ocs":"ocs0","ports":[0,1]}]}' >"$work/inblock.json"
expect_exit 2 "inblock.json: circuits\[0\]" "$LIGHTPATH" topo fabric "$data/fabric-4.json" --config "$work/inblock.json"
echo "topo host and topo fabric check out"
