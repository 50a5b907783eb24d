#!/usr/bin/env python3
"""scripts/matched_ratio.py: picks the placement both tools drew most, sums its runs up by
their interquartile mean, falls back to all runs, and rejects bad input with a message and
exit status 2."""
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
        self.assertAlmostEqual(p, 0.20)  # the middle half of 0.19, 0.20, 0.20, 0.21
        self.assertAlmostEqual(o, 0.215)
        self.assertAlmostEqual(ratio, 0.215 / 0.20, places=3)
        self.assertIn("placement 1 of", note)
        self.assertIn("0.66..0.7: 1/3", note)

    def test_says_how_many_of_our_runs_no_peer_run_shares_a_group_with(self):
        # ours at 0.27 is 42% over the peer's 0.19: a group of its own, not judged
        r = run("--peer", "0.19,0.19,0.66,0.66,0.66", "--ours", "0.27,0.27,0.66,0.67")
        p, o, ratio, note = fields(r.stdout)
        self.assertAlmostEqual(p, 0.66)
        self.assertAlmostEqual(o, 0.665)
        self.assertIn("placement 3 of", note)
        self.assertIn("0.27..0.27: 0/2", note)
        self.assertTrue(note.endswith("2 of our 4 runs in groups without a peer run, not judged"), note)
        self.assertNotIn("not judged", fields(run("--peer", "0.19,0.66", "--ours", "0.2,0.66").stdout)[3])

    def test_one_placement_compares_the_middle_halves_of_all_runs(self):
        # 8 runs each: the lowest 2 and highest 2 are dropped, one far-off run included
        r = run("--peer", "9.0,9.5,10.0,9.6,9.4,9.7,9.3,9.9", "--ours", "9.4,9.6,9.8,9.7,9.5,9.9,9.6,11.0")
        p, o, ratio, note = fields(r.stdout)
        self.assertAlmostEqual(p, (9.4 + 9.5 + 9.6 + 9.7) / 4)
        self.assertAlmostEqual(o, (9.6 + 9.6 + 9.7 + 9.8) / 4)
        self.assertAlmostEqual(ratio, o / p, places=3)
        self.assertEqual(note, "")

    def test_the_middle_mean_resolves_steps_a_median_cannot(self):
        # both on a 5 ns grid; medians would both read 0.19, the middle halves differ
        r = run("--peer", "0.185,0.19,0.19,0.19", "--ours", "0.19,0.19,0.195,0.195")
        p, o, ratio, note = fields(r.stdout)
        self.assertAlmostEqual(p, 0.19)
        self.assertAlmostEqual(o, 0.1925)

    def test_no_shared_placement_says_so(self):
        r = run("--peer", "0.1,0.1", "--ours", "0.6,0.6")
        p, o, ratio, note = fields(r.stdout)
        self.assertAlmostEqual(ratio, 6.0)
        self.assertEqual(note, "no shared placement; all runs")

    def test_bad_input_is_rejected(self):
        for args in (["--peer", "1,x", "--ours", "1"], ["--peer", "0,1", "--ours", "1"],
                     ["--peer", "1", "--ours", "1", "--gap", "1"], ["--peer", "1"]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("matched_ratio.py", r.stderr)
            self.assertEqual(r.stdout, "")


if __name__ == "__main__":
    unittest.main()
