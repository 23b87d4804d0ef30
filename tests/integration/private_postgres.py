"""A private PostgreSQL server for integration tests: own data folder and loopback port."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile

from harness import free_port

PASSWORD_USER = "s7log_pw"


def find_bindir():
    """The folder with initdb, pg_ctl and postgres: S7LOG_PG_BINDIR, the newest
    /usr/lib/postgresql/*/bin, or PATH. None when there is none."""
    def has_all(d):
        return all(os.path.exists(os.path.join(d, b)) for b in ("initdb", "pg_ctl", "postgres"))

    env = os.environ.get("S7LOG_PG_BINDIR")
    if env:
        return env if has_all(env) else None
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if has_all(d)]
    found.sort(key=lambda d: int(os.path.basename(os.path.dirname(d)) or 0), reverse=True)
    if found:
        return found[0]
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if d and has_all(d):
            return d
    return None


def available():
    """(True, "") when the server binaries are there, else (False, why) for skipTest."""
    if find_bindir():
        return True, ""
    return False, ("no PostgreSQL server binaries (apt-get install postgresql, "
                   "or set S7LOG_PG_BINDIR)")


class PrivatePostgres:
    """Context manager: `with PrivatePostgres() as pg:` makes a fresh cluster (superuser "s7log"
    with trust; user s7log_pw must give its password over TCP), starts it on 127.0.0.1:pg.port
    (fsync off, socket in the temporary folder), and on exit stops it and removes the folder.
    As root the server runs as the "postgres" user. pg.url is
    postgresql://s7log@127.0.0.1:PORT/<db>; pg.psql(sql) returns the rows as lists of strings (None for NULL); stop()/start() make an
    outage on the same port and data."""

    def __init__(self, db="postgres"):
        self.bindir = find_bindir()
        if not self.bindir:
            raise RuntimeError(available()[1])
        self.db = db
        self.dir = tempfile.mkdtemp(prefix="s7log_pg_")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.running = False
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    @property
    def url(self):
        return self.url_for()

    def url_for(self, db=None, user="s7log", password=""):
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{db or self.db}"

    def _run(self, args, check=True, input=None):
        if self._as_postgres:
            args = ["runuser", "-u", "postgres", "--"] + args
        p = subprocess.run(args, capture_output=True, text=True, input=input, timeout=120,
                           stdin=None if input is not None else subprocess.DEVNULL)
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({p.returncode}):\n{p.stdout}{p.stderr}"
                               + self._server_log())
        return p

    def _server_log(self):
        try:
            with open(os.path.join(self.dir, "server.log"), encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def _initdb(self):
        self._run([os.path.join(self.bindir, "initdb"), "-D", self.data, "-U", "s7log", "-A", "trust",
                   "-E", "UTF8", "--locale=C", "-N"])
        with open(os.path.join(self.data, "pg_hba.conf"), "w") as f:
            f.write("local all all trust\n"
                    f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
                    "host all all 127.0.0.1/32 trust\n")

    def start(self):
        if self.running:
            return
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            self._initdb()
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c full_page_writes=off -c max_connections=30")
        self._run([os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l",
                   os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"])
        self.running = True
        if self.db != "postgres" and not self.psql(
                f"SELECT 1 FROM pg_database WHERE datname = '{self.db}'", db="postgres"):
            self.psql(f'CREATE DATABASE "{self.db}"', db="postgres")

    def stop(self):
        if not self.running:
            return
        self.running = False
        self._run([os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-w", "-t", "60", "-m",
                   "fast", "stop"], check=False)

    def psql(self, sql, db=None):
        """Runs sql as the superuser over TCP; returns the rows as lists (None for NULL)."""
        args = [os.path.join(self.bindir, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-F", "\x1f", "-R", "\x1e", "-P", "null=\x1d", "-d", self.url_for(db)]
        p = subprocess.run(args, capture_output=True, text=True, input=sql, timeout=60)
        if p.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}\n{p.stderr}")
        out = p.stdout.rstrip("\n")
        if not out:
            return []
        rows = []
        for line in out.split("\x1e"):
            line = line.lstrip("\n")
            if line == "":
                continue
            rows.append([None if v == "\x1d" else v for v in line.split("\x1f")])
        return rows

    def create_password_user(self, password):
        """Makes PASSWORD_USER a superuser that logs in with `password` over TCP."""
        escaped = password.replace("'", "''")
        self.psql(f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{escaped}'")

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __exit__(self, *exc):
        self.close()
