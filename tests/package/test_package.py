"""The Debian package as a user installs it. cpack builds the .deb from this build tree into a
temporary folder and `dpkg-deb -x` unpacks it into a throwaway root: the files land exactly where
dpkg would put them, but no maintainer script runs and nothing touches this machine (dpkg --root
would need a dpkg database in the root and runs the scripts chrooted into it, where there is no
/bin/sh). The maintainer scripts are run on their own with systemctl and systemd-sysusers
replaced by stubs; systemd-sysusers --root creates the s7log user in a second throwaway root;
the units are checked with systemd-analyze, which works without systemd running.

Usage: test_package.py CPACK CPACK_CONFIG MDWE_EXEC"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import harness
from harness import Proc, start_fakeplc
from helpinfo import man_entries, man_section, render_man, visible_commands, visible_options

CPACK, CPACK_CONFIG, MDWE_EXEC = (os.path.abspath(a) for a in sys.argv[1:4])
del sys.argv[1:4]
os.environ.pop("S7LOG_LIVE_MODULE", None)  # the installed layout alone must find the module
UNITS = ("s7log@.service", "s7log-fakeplc.service")


def check(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)}: exit {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def mapped_files(pid):
    with open(f"/proc/{pid}/maps") as f:
        return {line.split()[-1] for line in f if "/" in line}


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="s7log-package-")
        out = os.path.join(cls.tmp.name, "out")
        check([CPACK, "--config", CPACK_CONFIG, "-G", "DEB", "-B", out], timeout=240)
        debs = [f for f in os.listdir(out) if f.endswith(".deb")]
        if len(debs) != 1:
            raise AssertionError(f"cpack made {debs} in {out}")
        cls.deb = os.path.join(out, debs[0])
        cls.root = os.path.join(cls.tmp.name, "root")
        check(["dpkg-deb", "-x", cls.deb, cls.root])
        cls.control = os.path.join(cls.tmp.name, "control")
        check(["dpkg-deb", "-e", cls.deb, cls.control])
        cls.s7log = cls.path("/usr/bin/s7log")
        harness.S7LOG = cls.s7log  # start_fakeplc() runs the installed program
        cls.commands = visible_commands(cls.s7log)
        unit_dirs = [d for d in ("/lib/systemd/system", "/usr/lib/systemd/system")
                     if os.path.isdir(cls.path(d))]
        if len(unit_dirs) != 1:
            raise AssertionError(f"the units should be in one folder, not {unit_dirs}")
        cls.unit_dir = unit_dirs[0]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def path(cls, installed):
        """Where an installed path (/usr/bin/s7log) is in the throwaway root."""
        return os.path.join(cls.root, installed.lstrip("/"))

    def workdir(self):
        d = tempfile.mkdtemp(dir=self.tmp.name)
        self.addCleanup(shutil.rmtree, d, True)
        return d

    # --- the package's control data ----------------------------------------------------------

    def test_name_version_and_architecture(self):
        version = check([self.s7log, "--version"]).split()[-1]
        arch = check(["dpkg", "--print-architecture"]).strip()
        self.assertEqual(os.path.basename(self.deb), f"s7log_{version}_{arch}.deb")
        out = check(["dpkg-deb", "-f", self.deb, "Package", "Version", "Architecture"])
        fields = dict(line.split(": ", 1) for line in out.splitlines())
        self.assertEqual(fields, {"Package": "s7log", "Version": version, "Architecture": arch})

    def test_depends_come_from_the_shared_libraries(self):
        depends = check(["dpkg-deb", "-f", self.deb, "Depends"])
        self.assertRegex(depends, r"\blibc6 \(>= [0-9.]+\)")
        self.assertRegex(depends, r"\blibstdc\+\+6 \(>= ")
        # The live module links libfmt like the program: dpkg-shlibdeps looked at both.
        self.assertRegex(depends, r"\blibfmt[0-9]+ ")
        # The network outputs: libpq for PostgreSQL, libmosquitto and protobuf-c for MQTT.
        self.assertRegex(depends, r"\blibpq5 ")
        self.assertRegex(depends, r"\blibmosquitto1 ")
        self.assertRegex(depends, r"\blibprotobuf-c1 ")

    def test_configuration_files_are_conffiles(self):
        with open(os.path.join(self.control, "conffiles")) as f:
            conffiles = f.read().split()
        self.assertEqual(sorted(conffiles),
                         ["/etc/default/s7log-fakeplc", "/etc/s7log/example.toml"])
        for c in conffiles:
            self.assertTrue(os.path.isfile(self.path(c)), c)

    # --- the installed files ---------------------------------------------------------------

    def test_files_go_where_the_readme_says(self):
        for f in ("/usr/bin/s7log", "/usr/lib/s7log/s7log-live.so",
                  "/usr/share/man/man1/s7log.1.gz", "/usr/share/bash-completion/completions/s7log",
                  "/usr/lib/sysusers.d/s7log.conf",
                  "/usr/share/doc/s7log/examples/logger.toml",
                  "/usr/share/doc/s7log/examples/fakeplc.toml", "/usr/share/doc/s7log/README.md",
                  "/usr/share/doc/s7log/docs/service.md", "/etc/s7log/example.toml"):
            self.assertTrue(os.path.isfile(self.path(f)), f)
        self.assertTrue(os.access(self.s7log, os.X_OK))
        for unit in UNITS:
            self.assertTrue(os.path.isfile(self.path(f"{self.unit_dir}/{unit}")), unit)

    def test_installed_program_runs(self):
        out = check([self.s7log, "--version"])
        self.assertRegex(out, r"^s7log \d+\.\d+\.\d+\n$")

    def unit_command(self, unit, key, instance):
        """The command line of KEY= in the installed UNIT for INSTANCE, with its paths in the
        throwaway root."""
        with open(self.path(f"{self.unit_dir}/{unit}")) as f:
            lines = [l for l in f.read().splitlines() if l.startswith(key + "=")]
        self.assertEqual(len(lines), 1, f"{key}= in {unit}")
        words = lines[0].split("=", 1)[1].replace("%i", instance).split()
        return [self.path(w) if w.startswith(("/usr/", "/etc/")) else w for w in words]

    def test_logger_unit_checks_then_runs_its_instances_config_in_its_state_directory(self):
        # s7log@example.service: ExecStartPre= accepts /etc/s7log/example.toml, ExecStart= logs
        # with it and (WorkingDirectory=/var/lib/s7log/example) writes log.csv there.
        pre = self.unit_command("s7log@.service", "ExecStartPre", "example")
        self.assertIn(self.path("/etc/s7log/example.toml"), pre)
        r = subprocess.run(pre, capture_output=True, text=True, timeout=30, cwd=self.workdir())
        self.assertEqual(r.returncode, 0, r.stderr)
        fakeplc, port = start_fakeplc()
        self.addCleanup(fakeplc.stop)
        with open(self.path(f"{self.unit_dir}/s7log@.service")) as f:
            unit = dict(l.split("=", 1) for l in f.read().splitlines() if l.startswith(
                ("WorkingDirectory=", "StateDirectory=", "User=")))
        self.assertEqual(unit["WorkingDirectory"], "%S/" + unit["StateDirectory"])
        self.assertEqual(unit["User"], "s7log")
        state = self.workdir()
        start = self.unit_command("s7log@.service", "ExecStart", "example")
        r = subprocess.run(start + ["--port", str(port), "--count", "2", "--interval", "100ms"],
                           capture_output=True, text=True, timeout=60, cwd=state)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(state, "log.csv")) as f:
            rows = f.read().splitlines()
        self.assertEqual(rows[0], "ts,counter,temperature,pressure,alarm,mode_ro")
        self.assertEqual(len(rows), 3)

    def start_logger(self, exe=None, prefix=()):
        fakeplc, port = start_fakeplc()
        self.addCleanup(fakeplc.stop)
        p = Proc([*prefix, "run", "--port", str(port), "--interval", "200ms", "--out", "live.csv",
                  "--live", "127.0.0.1:0"], cwd=self.workdir(), exe=exe or self.s7log)
        self.addCleanup(p.stop)
        url = re.search(r"http://\S+/", p.wait_line("live chart at", timeout=20)).group(0)
        p.wait_line("LOG: ", timeout=20)
        # The console's LOG: line and the live feed are fed by separate queues: the feed may
        # get the first sample a moment after the line was printed.
        deadline = time.monotonic() + 10
        while True:
            with urllib.request.urlopen(url + "api/latest", timeout=10) as r:
                latest = json.loads(r.read())
            if latest.get("values") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(latest["values"]["temperature"], 25)
        self.assertIn(self.path("/usr/lib/s7log/s7log-live.so"), mapped_files(p.p.pid))

    def test_live_module_is_found_from_the_installed_layout(self):
        self.start_logger()

    def test_live_module_loads_under_memory_deny_write_execute(self):
        # s7log@.service sets MemoryDenyWriteExecute=yes; mdwe_exec applies the same seccomp rules.
        r = subprocess.run([MDWE_EXEC, "--selftest"], capture_output=True, text=True, timeout=30)
        if r.returncode == 77:
            self.skipTest(r.stderr.strip())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.start_logger(exe=MDWE_EXEC, prefix=(self.s7log,))

    def test_man_pages_render_and_document_every_option(self):
        manpath = self.path("/usr/share/man")
        text = render_man("-l", self.path("/usr/share/man/man1/s7log-run.1.gz"))
        self.assertRegex(text, r"--interval TEXT\n +Sample interval")
        for command in self.commands:
            page = self.path(f"/usr/share/man/man1/s7log-{command}.1.gz")
            with self.subTest(command=command):
                documented = man_entries(man_section(render_man("-l", page), "OPTIONS"))
                missing = [o for o in visible_options(self.s7log, command) if o not in documented]
                self.assertEqual(missing, [])
        # `man s7log-run` finds the page by name once the man1 folder is on the MANPATH.
        self.assertEqual(render_man("-w", "s7log-run", manpath=manpath).strip(),
                         self.path("/usr/share/man/man1/s7log-run.1.gz"))
        self.assertIn("s7log-fakeplc(1)", render_man("s7log", manpath=manpath))

    def test_bash_completion_completes_commands_and_options(self):
        script = self.path("/usr/share/bash-completion/completions/s7log")

        def complete(*words):
            words = ("s7log", *words)
            code = (f"source '{script}'\nCOMP_WORDS=({' '.join(words)})\n"
                    f"COMP_CWORD={len(words) - 1}\n_s7log\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"")
            return check(["bash", "--norc", "--noprofile", "-c", code]).split()

        self.assertEqual(sorted(complete("''")), sorted(self.commands))
        self.assertEqual(complete("run", "--inter"), ["--interval"])
        self.assertEqual(complete("fakeplc", "--max"), ["--max-connections"])

    # --- maintainer scripts and the s7log user -------------------------------------------

    def test_sysusers_file_creates_the_unprivileged_user(self):
        sysroot = self.workdir()
        os.mkdir(os.path.join(sysroot, "etc"))
        check(["systemd-sysusers", f"--root={sysroot}",
               self.path("/usr/lib/sysusers.d/s7log.conf")])
        with open(os.path.join(sysroot, "etc/passwd")) as f:
            user = next(line for line in f if line.startswith("s7log:")).strip().split(":")
        self.assertLess(int(user[2]), 1000, "a system user")
        self.assertNotEqual(user[2], "0")
        self.assertEqual(user[5:], ["/var/lib/s7log", "/usr/sbin/nologin"])
        with open(os.path.join(sysroot, "etc/group")) as f:
            self.assertTrue(any(line.startswith("s7log:") for line in f))

    def test_maintainer_scripts_create_the_user_and_tolerate_a_machine_without_systemd(self):
        stubs = self.workdir()
        calls = os.path.join(stubs, "calls")
        for tool in ("systemd-sysusers", "systemctl", "useradd"):
            with open(os.path.join(stubs, tool), "w") as f:
                f.write(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n')
            os.chmod(os.path.join(stubs, tool), 0o755)
        env = dict(os.environ, PATH=stubs + os.pathsep + os.environ["PATH"])
        for script, args in (("postinst", ["configure"]), ("postinst", ["configure", "0.0.1"]),
                             ("prerm", ["remove"]), ("postrm", ["remove"]), ("postrm", ["purge"])):
            with self.subTest(script=script, args=args):
                path = os.path.join(self.control, script)
                self.assertTrue(os.access(path, os.X_OK), f"{script} is not executable")
                check([path, *args], env=env)
        with open(calls) as f:
            sysusers = [line.split() for line in f if line.startswith("systemd-sysusers")]
        self.assertEqual(len(sysusers), 2)
        self.assertTrue(os.path.isfile(self.path(sysusers[0][1])), sysusers[0])

    # --- the systemd units -----------------------------------------------------------------

    def units_for_analysis(self):
        """The units with /usr/bin/s7log pointing into the throwaway root (systemd-analyze verify
        checks that ExecStart= programs exist)."""
        if shutil.which("systemd-analyze") is None:
            raise AssertionError("systemd-analyze is missing: "
                                 "scripts/install-deps.sh installs systemd")
        d = self.workdir()
        for unit in UNITS:
            with open(self.path(f"{self.unit_dir}/{unit}")) as f:
                text = f.read()
            self.assertIn("/usr/bin/s7log ", text)
            with open(os.path.join(d, unit), "w") as f:
                f.write(text.replace("/usr/bin/s7log ", self.s7log + " "))
        return d

    def test_units_verify_cleanly(self):
        d = self.units_for_analysis()
        env = dict(os.environ, MANPATH=self.path("/usr/share/man"))  # Documentation=man:... exist
        for unit in UNITS:
            with self.subTest(unit=unit):
                r = subprocess.run(["systemd-analyze", "verify", os.path.join(d, unit)],
                                   capture_output=True, text=True, env=env, timeout=60)
                # verify exits 0 on unknown keys and bad values too: it must say nothing at all.
                self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))

    def test_units_are_hardened(self):
        d = self.units_for_analysis()
        wanted = {"User=/DynamicUser=", "NoNewPrivileges=", "ProtectSystem=", "ProtectHome=",
                  "PrivateTmp=", "PrivateDevices=", "ProtectKernelTunables=",
                  "ProtectKernelModules=", "ProtectKernelLogs=", "ProtectControlGroups=",
                  "RestrictNamespaces=~user", "LockPersonality=", "MemoryDenyWriteExecute=",
                  "SystemCallArchitectures=", "RestrictAddressFamilies=~AF_PACKET",
                  "RestrictAddressFamilies=~AF_NETLINK", "CapabilityBoundingSet=~CAP_SYS_ADMIN",
                  "CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
                  "SystemCallFilter=~@privileged"}
        for unit in UNITS:
            with self.subTest(unit=unit):
                path = os.path.join(d, unit)
                # Overall exposure at most 2.0 of 10 (systemd rates up to 4.9 as "OK").
                r = subprocess.run(["systemd-analyze", "security", "--offline=yes",
                                    "--threshold=20", "--no-pager", path],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                r = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--json=short",
                                    "--no-pager", path], capture_output=True, text=True, timeout=60)
                checks = {c["name"]: c["set"] for c in json.loads(r.stdout)}
                self.assertEqual([w for w in sorted(wanted) if not checks.get(w)], [])


if __name__ == "__main__":
    harness.main()
