# The README's first command minus set-up and build: scripts/example.sh runs the main job with
# this build's lightpath, and leaves records of every benchmark, the traffic on the example
# fabric's blocks, a verified proposal that cuts the hop count, its review, and the plots.
source "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
LP_EXAMPLE_PREBUILT=1 LP_BUILD_DIR="$(dirname "$LIGHTPATH")" LP_EXAMPLE_OUT="$work/out" \
  bash "$root/scripts/example.sh" >"$work/log" 2>&1 || { cat "$work/log"; fail "scripts/example.sh failed"; }
out=$work/out
for f in results.jsonl allreduce-traffic.json block-traffic.json proposal.json report.html report.md; do
  [ -s "$out/$f" ] || { cat "$work/log"; fail "the example left no $f"; }
done
grep -q "^verify: .* checks passed$" "$work/log" || { cat "$work/log"; fail "the example's proposal was not verified"; }
grep -q "^== millisecond readiness" "$work/log" || { cat "$work/log"; fail "the example printed no readiness summary"; }
"$PY" - "$out" <<'PY' || fail "the example's records or proposal are not what the main job makes"
import json, sys
out = sys.argv[1]
benchmarks = {json.loads(line)["benchmark"] for line in open(f"{out}/results.jsonl")}
assert {"p2p", "allreduce", "train", "rpc"} <= benchmarks, benchmarks
metrics = json.load(open(f"{out}/proposal.json"))["metrics"]
assert metrics["after"]["hop_count"] < metrics["before"]["hop_count"], metrics
PY
if "$PY" -c 'import matplotlib' 2>/dev/null; then
  [ -s "$out/plots/traffic-block-traffic.png" ] || fail "the example drew no traffic heatmap"
fi
