#!/usr/bin/env python3
"""scripts/matched_ratio.py: picks the placement both tools drew most, falls back to plain
medians, and rejects bad input with a message and exit status 2."""
import os
import subprocess
import sys
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "matched_ratio.py")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def fields(out):
    p, o, r, *note = out.strip().split(maxsplit=3)
    return float(p), float(o), float(r), (note[0] if note else "")


class MatchedRatio(unittest.TestCase):
    def test_compares_inside_the_placement_both_drew_most(self):
        # peer: 4 fast, 1 slow; ours: 2 fast, 3 slow -> fast holds min(4, 2) = 2, slow min(1, 3) = 1
        r = run("--peer", "0.19,0.20,0.21,0.20,0.66", "--ours", "0.21,0.22,0.67,0.68,0.70")
        self.assertEqual(r.returncode, 0, r.stderr)
        p, o, ratio, note = fields(r.stdout)
        self.assertAlmostEqual(p, 0.20)
        self.assertAlmostEqual(o, 0.215)
        self.assertAlmostEqual(ratio, 0.215 / 0.20, places=3)
        self.assertIn("placement 1 of", note)
        self.assertIn("0.66..0.7: 1/3", note)

    def test_one_placement_is_the_ratio_of_plain_medians(self):
        r = run("--peer", "9.0,9.5,10.0", "--ours", "9.4,9.6,9.8")
        p, o, ratio, note = fields(r.stdout)
        self.assertEqual((p, o), (9.5, 9.6))
        self.assertAlmostEqual(ratio, 9.6 / 9.5, places=3)
        self.assertEqual(note, "")

    def test_no_shared_placement_says_so(self):
        r = run("--peer", "0.1,0.1", "--ours", "0.6,0.6")
        p, o, ratio, note = fields(r.stdout)
        self.assertAlmostEqual(ratio, 6.0)
        self.assertEqual(note, "no shared placement; plain medians")

    def test_bad_input_is_rejected(self):
        for args in (["--peer", "1,x", "--ours", "1"], ["--peer", "0,1", "--ours", "1"],
                     ["--peer", "1", "--ours", "1", "--gap", "1"], ["--peer", "1"]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("matched_ratio.py", r.stderr)
            self.assertEqual(r.stdout, "")


if __name__ == "__main__":
    unittest.main()
