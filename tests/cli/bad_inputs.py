#!/usr/bin/env python3
"""Every input file and flag, malformed on purpose: each case must exit 2 with a message that
names the file (or flag) and says what is wrong, without a crash and without writing an output.
  bad_inputs.py LIGHTPATH FABRIC
Cases are a table: (what, file name, file content or None, argv with {f} for the file, {o} for
an output path and {fabric} for a valid fabric, the regular expression the message must match).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

lightpath, fabric = sys.argv[1], sys.argv[2]

FAB = json.load(open(fabric))


def fab(**change):
    d = json.loads(json.dumps(FAB))
    for k, v in change.items():
        d[k] = v
    return json.dumps(d)


def traffic(**change):
    d = {"format": "lightpath.traffic/1", "level": "block", "unit": "bytes", "duration_s": 1,
         "names": ["b0", "b1"], "matrix": [[0, 5], [7, 0]]}
    d.update(change)
    return json.dumps(d)


def config(circuits, fmt="lightpath.ocs-config/1"):
    return json.dumps({"format": fmt, "circuits": circuits})


def model(tensors, fmt="lightpath.model/1"):
    return json.dumps({"format": fmt, "name": "m", "tensors": tensors})


result = '{"format": "lightpath.result/1", "benchmark": "p2p", "mode": "lat", "size": 8, "latency_us": {"p50": 1}}'
blocks_dup = json.loads(json.dumps(FAB["blocks"]))
blocks_dup[1]["name"] = blocks_dup[0]["name"]
blocks_unknown_ocs = json.loads(json.dumps(FAB["blocks"]))
blocks_unknown_ocs[0]["uplinks"][0]["ocs"] = "nope"

FABRIC = ["topo", "fabric", "{f}"]
SHOW = ["traffic", "show", "{f}"]
MERGE = ["traffic", "merge", "{f}", "{f}", "-o", "{o}"]
AGG = ["traffic", "aggregate", "{f}", "--fabric", "{fabric}", "-o", "{o}"]
CONFIG = ["topo", "fabric", "{fabric}", "--config", "{f}"]
TRAIN = ["train", "--model", "{f}", "--json", "{o}"]
TUNING = ["allreduce", "--transport", "tcp", "--listen", "127.0.0.1:0", "--ranks", "1", "--algo", "auto",
          "--tuning", "{f}", "--json", "{o}"]
SIZES = ["rpc", "--size-dist", "{f}", "--json", "{o}"]
SLO = ["summary", "{r}", "--slo", "{f}"]
COMPARE = ["compare", "{r}", "{f}"]

cases = [
    # fabric
    ("fabric: truncated JSON", "f.json", fab()[:40], FABRIC, r"f\.json: .*(parse|syntax|JSON)"),
    ("fabric: wrong type", "f.json", fab(link_gbps="fast"), FABRIC, r"f\.json: link_gbps"),
    ("fabric: unknown format version", "f.json", fab(format="lightpath.fabric/2"), FABRIC, r"f\.json: .*lightpath\.fabric/2"),
    ("fabric: negative number", "f.json", fab(link_gbps=-100), FABRIC, r"f\.json: link_gbps"),
    ("fabric: huge number", "f.json", fab(ocs=[{"name": "ocs0", "ports": 10**12, "failed_ports": []}]), FABRIC, r"f\.json: ocs\[0\]\.ports"),
    ("fabric: NaN", "f.json", fab().replace('"link_gbps": 100', '"link_gbps": NaN'), FABRIC, r"f\.json: "),
    ("fabric: duplicate names", "f.json", fab(blocks=blocks_dup), FABRIC, r"f\.json: blocks\[1\]\.name: .*duplicate"),
    ("fabric: a name that does not exist", "f.json", fab(blocks=blocks_unknown_ocs), FABRIC, r"f\.json: blocks\[0\]\.uplinks\[0\]\.ocs: unknown OCS 'nope'"),
    ("fabric: missing file", "none.json", None, FABRIC, r"none\.json"),
    ("fabric: empty file", "f.json", "", FABRIC, r"f\.json"),
    # OCS configuration
    ("config: unknown format version", "c.json", config([], "lightpath.ocs-config/7"), CONFIG, r"c\.json: .*ocs-config/7"),
    ("config: wrong type", "c.json", config([{"ocs": "ocs0", "ports": "0-5"}]), CONFIG, r"c\.json: circuits\[0\]\.ports"),
    ("config: port out of range", "c.json", config([{"ocs": "ocs0", "ports": [0, 99999]}]), CONFIG, r"c\.json: circuits\[0\]"),
    ("config: a name that does not exist", "c.json", config([{"ocs": "ocsX", "ports": [0, 5]}]), CONFIG, r"c\.json: circuits\[0\]\.ocs: unknown OCS"),
    ("config: duplicate port", "c.json", config([{"ocs": "ocs0", "ports": [0, 5]}, {"ocs": "ocs0", "ports": [0, 9]}]), CONFIG, r"c\.json: circuits\[1\]"),
    # traffic (JSON)
    ("traffic: truncated JSON", "t.json", traffic()[:30], SHOW, r"t\.json"),
    ("traffic: mismatched dimensions", "t.json", traffic(matrix=[[0, 5, 1], [7, 0]]), SHOW, r"t\.json: matrix"),
    ("traffic: negative entry", "t.json", traffic(matrix=[[0, -5], [7, 0]]), MERGE, r"t\.json: matrix\[0\]\[1\]"),
    ("traffic: huge entry", "t.json", traffic(matrix=[[0, 1e300], [7, 0]]), SHOW, r"t\.json: matrix\[0\]\[1\]"),
    ("traffic: duplicate names", "t.json", traffic(names=["b0", "b0"]), SHOW, r"t\.json: names\[1\]: duplicate"),
    ("traffic: unknown format version", "t.json", traffic(format="lightpath.traffic/0"), SHOW, r"t\.json: .*traffic/0"),
    ("traffic: wrong type", "t.json", traffic(duration_s="long"), SHOW, r"t\.json: duration_s"),
    ("traffic: names that do not exist", "t.json", traffic(names=["b0", "zz"]), AGG, r"t\.json: .*'zz' not in fabric"),
    # traffic (CSV)
    ("traffic csv: a bad line", "t.csv", "# duration_s=1\nb0,b1,12\nb1,b0\n", SHOW, r"t\.csv: line 3"),
    ("traffic csv: negative bytes", "t.csv", "# duration_s=1\nb0,b1,-12\n", SHOW, r"t\.csv: line 2: bytes -12 is negative"),
    # model files
    ("model: truncated JSON", "m.json", model([])[:20], TRAIN, r"m\.json"),
    ("model: duplicate tensors", "m.json", model([{"name": "a", "shape": [4], "dtype": "f32"}, {"name": "a", "shape": [4], "dtype": "f32"}]), TRAIN, r"m\.json: tensors\[1\]\.name"),
    ("model: negative dimension", "m.json", model([{"name": "a", "shape": [-4], "dtype": "f32"}]), TRAIN, r"m\.json: tensors\[0\]\.shape"),
    ("model: unknown format version", "m.json", model([], "lightpath.model/3"), TRAIN, r"m\.json: .*model/3"),
    # tuning tables
    ("tuning: unknown format version", "u.json", '{"format": "lightpath.allreduce-tuning/9", "rules": []}', TUNING, r"u\.json: .*tuning/9"),
    ("tuning: wrong type", "u.json", '{"format": "lightpath.allreduce-tuning/1", "rules": [{"ranks": "two", "max_size": 8, "algo": "rd"}]}', TUNING, r"u\.json: rules\[0\]\.ranks"),
    ("tuning: unknown algorithm", "u.json", '{"format": "lightpath.allreduce-tuning/1", "rules": [{"ranks": 2, "max_size": 8, "algo": "magic"}]}', TUNING, r"u\.json: rules\[0\]\.algo"),
    # rpc size distributions
    ("sizes: negative weight", "s.json", '{"format": "lightpath.rpc-sizes/1", "mix": [{"req": 64, "resp": 64, "weight": -1}]}', SIZES, r"s\.json: mix\[0\]\.weight"),
    ("sizes: unknown format version", "s.json", '{"format": "lightpath.rpc-sizes/2", "mix": []}', SIZES, r"s\.json: .*rpc-sizes/2"),
    # budgets and result files
    ("budgets: unknown budget", "b.json", '{"format": "lightpath.slo/1", "rpc_p99": 5}', SLO, r"b\.json: rpc_p99: unknown budget"),
    ("budgets: negative", "b.json", '{"format": "lightpath.slo/1", "rpc_p99_us": -5}', SLO, r"b\.json: rpc_p99_us"),
    ("results: wrong type", "r2.jsonl", result.replace('"size": 8', '"size": "eight"') + "\n", COMPARE, r"r2\.jsonl:1: size"),
    ("results: unknown format", "r2.jsonl", '{"format": "lightpath.result/2", "benchmark": "p2p"}\n', COMPARE, r"r2\.jsonl:1: format"),
    # flags
    ("flag: size", None, None, ["p2p", "--sizes", "1:lots", "--json", "{o}"], r"--sizes: "),
    ("flag: size too large", None, None, ["p2p", "--sizes", "99999999999999999999", "--json", "{o}"], r"--sizes: .*too large"),
    ("flag: duration", None, None, ["rpc", "--duration", "soon", "--json", "{o}"], r"--duration"),
    ("flag: rate", None, None, ["rpc", "--rate", "-5", "--json", "{o}"], r"--rate"),
    ("flag: slo spec", None, None, ["rpc", "--slo", "p99=fast", "--json", "{o}"], r"--slo"),
    ("flag: mode", None, None, ["p2p", "--mode", "latency", "--json", "{o}"], r"--mode"),
    ("flag: pattern", None, None, ["traffic", "gen", "--pattern", "star", "--count", "4", "-o", "{o}"], r"--pattern"),
    ("flag: threshold", None, None, ["compare", "{r}", "{r}", "--threshold", "lots"], r"--threshold"),
    ("flag: dtype", None, None, ["allreduce", "--dtype", "f8", "--json", "{o}"], r"--dtype"),
    ("flag: algorithm", None, None, ["allreduce", "--algo", "magic", "--json", "{o}"], r"--algo"),
    ("flag: level", None, None, ["traffic", "gen", "--pattern", "ring", "--count", "4", "--level", "rack", "-o", "{o}"], r"--level"),
]

work = tempfile.mkdtemp()
good_results = os.path.join(work, "r.jsonl")
open(good_results, "w").write(result + "\n")
failures = 0
for what, name, content, argv, pattern in cases:
    path = os.path.join(work, name) if name else ""
    if name and os.path.exists(path):
        os.remove(path)
    if name and content is not None:
        open(path, "w").write(content)
    out = os.path.join(work, "out.json")
    if os.path.exists(out):
        os.remove(out)
    args = [a.format(f=path, o=out, fabric=fabric, r=good_results) for a in argv]
    p = subprocess.run([lightpath] + args, capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1"))
    text = p.stdout + p.stderr
    problems = []
    if p.returncode != 2:
        problems.append(f"exit status {p.returncode}, expected 2")
    if not re.search(pattern, text):
        problems.append(f"message does not match /{pattern}/")
    if re.search(r"terminate called|Segmentation|Aborted|what\(\)|json\.exception|parse_error", text):
        problems.append("crashed or leaked a library exception")
    if os.path.exists(out):
        problems.append("wrote its output anyway")
    if problems:
        failures += 1
        print(f"FAIL {what}: {'; '.join(problems)}\n  $ lightpath {' '.join(args)}\n  " + text.strip().replace("\n", "\n  "))
    else:
        print(f"ok   {what}: {text.strip().splitlines()[-1][:110] if text.strip() else ''}")
print(f"{len(cases) - failures} of {len(cases)} bad inputs refused cleanly")
sys.exit(1 if failures else 0)
