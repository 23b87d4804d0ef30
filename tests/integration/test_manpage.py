"""The man pages and the bash completion are written by the program from its own command line
(the hidden commands `s7log manpage` and `s7log completion bash`), so they cannot forget a
command or an option: every command `s7log --help` lists has a page that `man` renders, every
option a command's --help lists is an entry of that page and is offered by bash completion."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness
from harness import run
from helpinfo import (help_text, man_entries, man_section, render_man, visible_commands,
                      visible_options)

HIDDEN = ("manpage", "completion")


def render(page):
    return render_man("-l", page)


class ManPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("man") is None:
            raise AssertionError("man is missing: scripts/install-deps.sh installs man-db")
        cls.tmp = tempfile.TemporaryDirectory(prefix="s7log-man-")
        cls.man = os.path.join(cls.tmp.name, "man")
        r = run(["manpage", "--out-dir", cls.man])
        if r.returncode != 0:
            raise AssertionError(f"s7log manpage --out-dir failed: {r.stderr}")
        cls.commands = visible_commands(harness.S7LOG)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_generating_commands_are_hidden_from_help(self):
        self.assertIn("run", self.commands)
        for name in HIDDEN:
            self.assertNotIn(name, self.commands)
            self.assertNotIn(name, help_text(harness.S7LOG))

    def test_every_command_has_a_page(self):
        pages = sorted(f for f in os.listdir(self.man))
        self.assertEqual(pages, sorted(["s7log.1"] + [f"s7log-{c}.1" for c in self.commands]))

    def test_whatis_and_apropos_can_read_every_page(self):
        # lexgrog parses the NAME section the way mandb does for whatis/apropos.
        for page in ["s7log"] + [f"s7log-{c}" for c in self.commands]:
            path = os.path.join(self.man, page + ".1")
            r = subprocess.run(["lexgrog", path], capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertRegex(r.stdout, rf'^{re.escape(path)}: "{page} - \S')

    def test_every_option_of_every_command_is_an_entry_of_its_page(self):
        for command in self.commands:
            with self.subTest(command=command):
                text = render(os.path.join(self.man, f"s7log-{command}.1"))
                self.assertRegex(text, rf"(?m)^ +s7log-{command} - \S")
                self.assertIn(f"s7log {command} [OPTIONS]", text)
                documented = man_entries(man_section(text, "OPTIONS"))
                options = visible_options(harness.S7LOG, command)
                missing = [o for o in options if o not in documented]
                self.assertEqual(missing, [], f"not in s7log-{command}(1):\n{text}")

    def test_run_page_shows_descriptions_and_defaults(self):
        text = render(os.path.join(self.man, "s7log-run.1"))
        options = "\n".join(man_section(text, "OPTIONS"))
        self.assertRegex(options,
                         r"--interval TEXT\n +Sample interval: 500ms, 1s \(default\), 2min")
        self.assertRegex(options,
                         r"--timeout TEXT\n +connect and request timeout.*\n +Default: 3s\.")
        self.assertRegex(options, r"--tag TEXT \.\.\.\n")

    def test_program_page_lists_every_command_and_its_page(self):
        text = render(os.path.join(self.man, "s7log.1"))
        listed = {line.split()[0] for line in man_section(text, "COMMANDS")
                  if re.match(r"^ {7}\S", line)}
        self.assertEqual(listed, set(self.commands))
        for command in self.commands:
            self.assertIn(f"s7log-{command}(1)", text)
        self.assertEqual(man_entries(man_section(text, "OPTIONS")), {"-h", "--help", "--version"})

    def test_one_page_on_standard_output(self):
        r = run(["manpage", "fakeplc"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(".TH S7LOG\\-FAKEPLC 1 "), r.stdout[:80])
        r = run(["manpage", "nosuch"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("nosuch", r.stderr)


class CompletionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="s7log-completion-")
        cls.script = os.path.join(cls.tmp.name, "s7log")
        r = run(["completion", "bash"])
        if r.returncode != 0:
            raise AssertionError(f"s7log completion bash failed: {r.stderr}")
        with open(cls.script, "w") as f:
            f.write(r.stdout)
        cls.commands = visible_commands(harness.S7LOG)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def complete(self, *words):
        """What bash offers for the command line `words` (the last word is being completed)."""
        words = ["s7log", *words]
        quoted = " ".join("'" + w + "'" for w in words)
        script = (f"source '{self.script}'\nCOMP_WORDS=({quoted})\nCOMP_CWORD={len(words) - 1}\n"
                  "_s7log\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
        r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        return [w for w in r.stdout.splitlines() if w]

    def test_commands_are_offered_without_the_hidden_ones(self):
        self.assertEqual(sorted(self.complete("")), sorted(self.commands))
        self.assertEqual(self.complete("fa"), ["fakeplc"])

    def test_every_option_of_every_command_is_offered(self):
        for command in self.commands:
            with self.subTest(command=command):
                self.assertEqual(sorted(self.complete(command, "-")),
                                 sorted(set(visible_options(harness.S7LOG, command))))

    def test_program_options_before_a_command(self):
        self.assertEqual(self.complete("--ver"), ["--version"])

    def test_an_options_value_is_left_to_file_name_completion(self):
        self.assertEqual(self.complete("run", "--config", ""), [])
        self.assertEqual(self.complete("run", "--out", "x.csv", "--inter"), ["--interval"])
        r = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                            f"source '{self.script}'; complete -p s7log"],
                           capture_output=True, text=True, timeout=30)
        self.assertIn("-o default", r.stdout)

    def test_only_bash_is_known(self):
        r = run(["completion", "zsh"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("bash", r.stderr)


if __name__ == "__main__":
    harness.main()
