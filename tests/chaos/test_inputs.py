"""Chaos from the user's side: hostile config files, tag names and output paths. Each is refused
with a message that names where (file:line, or the option) and never echoes a control character
raw; nothing hangs and nothing crashes."""
import os
import signal
import tempfile
import unittest

import harness


class HostileInputs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def file(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def refused(self, args, says):
        r = harness.run(args, cwd=self.dir, timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(says, r.stderr)
        self.assertNotIn("\x1b", r.stderr)
        self.assertNotIn("\x00", r.stderr)
        return r

    def test_deeply_nested_toml_is_refused_before_the_parser_sees_it(self):
        # Before: a 40,000-level dotted table header crashed run, plan and fakeplc (SIGSEGV).
        deep = self.file("deep.toml", "[log]\ninterval = \"1s\"\n\n[" + ".".join(["a"] * 40000) + "]\n")
        says = "deep.toml:4: a key with more than 32 dotted parts"
        self.refused(["run", "--config", deep, "--check-config"], says)
        self.refused(["plan", "--config", deep], says)
        self.refused(["fakeplc", "--config", deep], says)
        arrays = self.file("arrays.toml", "x = " + "[" * 50000 + "]" * 50000 + "\n")
        self.refused(["run", "--config", arrays, "--check-config"],
                     "arrays.toml:1: arrays or tables nested deeper than 32 levels")

    def test_huge_tag_names_are_refused(self):
        big = self.file("big.toml", '[[tag]]\nname = "' + "n" * (100 << 20) + '"\naddress = "DB1.DBW0"\n')
        self.refused(["run", "--config", big, "--check-config"], "big.toml:1: the file is larger than")
        long = self.file("long.toml", '[[tag]]\nname = "' + "n" * 1000 + '"\naddress = "DB1.DBW0"\n')
        self.refused(["run", "--config", long, "--check-config"],
                     "long.toml:2: tag[1].name: tag 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...': "
                     "the name is 1000 bytes long; at most 128 are allowed")

    def test_control_characters_are_escaped_and_located(self):
        cfg = self.file("esc.toml", '\n[[tag]]\nname = "a\\u001b[31mred"\naddress = "DB1.DBW0"\n')
        self.refused(["run", "--config", cfg, "--check-config"],
                     "esc.toml:3: tag[1].name: tag 'a\\x1b[31mred': control characters are not "
                     "allowed in names")
        self.refused(["run", "--tag", "b\x1bad=DB1.DBW20:INT", "--check-config"],
                     "s7log run: --tag: tag 'b\\x1bad': control characters are not allowed")
        self.refused(["plan", "--tag", "x\x07y=DB1.DBW20:INT"], "tag 'x\\x07y'")

    def test_a_fifo_as_output_is_refused_at_once(self):
        # Before: open() waited for a reader forever, deaf to SIGINT/SIGTERM.
        fifo = os.path.join(self.dir, "rows.csv")
        os.mkfifo(fifo)
        self.refused(["run", "--port", "1", "--out", fifo, "--count", "1"],
                     "cannot write CSV rows to %s: it is a FIFO (named pipe)" % fifo)
        self.refused(["run", "--port", "1", "--out", "/dev/null", "--count", "1"],
                     "/dev/null: it is a device")
        os.mkdir(os.path.join(self.dir, "adir"))
        self.refused(["run", "--port", "1", "--out", "adir", "--count", "1"], "it is a folder")

    def test_patterns_that_expand_to_separators_or_line_breaks_are_refused(self):
        self.refused(["run", "--out", "log%n.csv", "--check-config"],
                     "--out log%n.csv: %n is not allowed in a file name (it expands to a newline)")
        self.refused(["run", "--out", "log_%D.csv", "--check-config"], "%D is not allowed")
        self.refused(["run", "--out", "log_%T.csv", "--check-config"], "%T is not allowed")
        cfg = self.file("pat.toml", '[log]\nout = "x%n.csv"\n')
        self.refused(["run", "--config", cfg, "--check-config"], "pat.toml:2: log.out: %n is not")
        ok = harness.run(["run", "--out", "data/%Y/%m/log_%F_%H%M%S.csv", "--check-config"],
                         cwd=self.dir)
        self.assertEqual(ok.returncode, 0, ok.stderr)


if __name__ == "__main__":
    harness.main()
