"""What a user reads: the visible commands and options in `s7log --help` and `s7log COMMAND
--help`, and the man pages as `man` renders them (for the man page and completion checks)."""
import os
import re
import subprocess


def _section(text, title):
    """The entries of one help section ("Subcommands:", "Options:"): the first word of each line
    indented by two spaces (continuation lines are indented further)."""
    out, inside = [], False
    for line in text.splitlines():
        if not line.startswith(" "):
            inside = line.strip() == title
            continue
        m = re.match(r"^  (\S+)", line)
        if inside and m:
            out.append(m.group(1))
    return out


def help_text(s7log, *args):
    r = subprocess.run([s7log, *args, "--help"], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError(f"{s7log} {' '.join(args)} --help failed: {r.stderr}")
    return r.stdout


def visible_commands(s7log):
    """The commands `s7log --help` lists."""
    return _section(help_text(s7log), "Subcommands:")


def visible_options(s7log, command):
    """Every option name `s7log COMMAND --help` lists, in any group ("-v" and "--verbose" for
    "-v,--verbose")."""
    names = []
    for line in help_text(s7log, command).splitlines():
        m = re.match(r"^  (-\S+)", line)
        if m:
            names += [n for n in m.group(1).split(",") if n.startswith("-")]
    return names


def render_man(*args, manpath=None):
    """`man ARGS` as plain text with wide lines (e.g. render_man("-l", "s7log-run.1")); a groff
    warning or a missing page fails the test."""
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="200", MAN_KEEP_FORMATTING="")
    if manpath:
        env["MANPATH"] = manpath
    r = subprocess.run(["man", "--warnings", *args], capture_output=True, text=True, env=env,
                       timeout=30)
    if r.returncode != 0 or r.stderr.strip():
        raise AssertionError(f"man {' '.join(args)}: exit {r.returncode}\n{r.stderr}")
    return r.stdout


def man_section(text, title):
    """The lines of one section of a rendered page (up to the next heading)."""
    lines, inside = [], False
    for line in text.splitlines():
        if line and not line.startswith(" "):
            inside = line.strip() == title
        elif inside:
            lines.append(line)
    return lines


def man_entries(lines):
    """The option names the entries of a rendered OPTIONS section start with: "-h, --help" ->
    -h, --help; "--host TEXT" -> --host; "--json print ..." (a short tag shares its line with
    the text) -> --json."""
    names = set()
    for line in lines:
        if not re.match(r"^ {7}-", line):
            continue
        for word in line.split():
            if not word.startswith("-"):
                break
            names.add(word.rstrip(","))
    return names
