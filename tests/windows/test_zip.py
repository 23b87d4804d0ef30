"""dist/s7log-<version>-win64.zip as a student gets it: one folder with s7log.exe (importing only
DLLs every Windows has), the README and the examples; unzipped, the .exe runs.

Arguments: s7log.exe (its folder names the zip via the build), the Linux s7log, hold_file.exe
(unused here); S7LOG_ZIP is the zip's path.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest
import zipfile

ZIP = os.environ.get("S7LOG_ZIP", "")
WINE_RUN = os.environ.get("WINE_RUN", "wine")
# Windows' own DLLs (present on every Windows 10/11): nothing from MinGW, MSYS or a redistributable.
SYSTEM_DLLS = {"kernel32.dll", "msvcrt.dll", "ws2_32.dll", "mswsock.dll", "shell32.dll",
               "advapi32.dll", "user32.dll"}


class Zip(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.path.exists(ZIP), f"{ZIP} is missing: make windows builds it")

    def test_layout(self):
        with zipfile.ZipFile(ZIP) as z:
            names = z.namelist()
        top = os.path.basename(ZIP)[:-len(".zip")]
        self.assertTrue(all(n.startswith(top + "/") for n in names), names)
        for must in ("s7log.exe", "README.md", "examples/logger.toml", "examples/fakeplc.toml",
                     "docs/windows.md"):
            self.assertIn(f"{top}/{must}", names)
        self.assertFalse([n for n in names if n.lower().endswith(".dll")], names)

    def test_unzipped_exe_runs_and_imports_only_system_dlls(self):
        with tempfile.TemporaryDirectory(prefix="s7log-zip-") as d:
            with zipfile.ZipFile(ZIP) as z:
                z.extractall(d)
            top = os.path.basename(ZIP)[:-len(".zip")]
            exe = os.path.join(d, top, "s7log.exe")
            dump = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", exe], capture_output=True,
                                  text=True, check=True).stdout
            dlls = {m.lower() for m in re.findall(r"DLL Name: (\S+)", dump)}
            self.assertTrue(dlls, dump[:500])
            self.assertLessEqual(dlls, SYSTEM_DLLS)
            r = subprocess.run([WINE_RUN, exe, "--version"], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout, r"^s7log \d+\.\d+\.\d+")


if __name__ == "__main__":
    del sys.argv[1:4]
    unittest.main(verbosity=2)
