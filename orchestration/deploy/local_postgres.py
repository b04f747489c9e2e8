"""A throwaway PostgreSQL cluster for the Dagster instance, on loopback only (`make dev-postgres`, tests).

Debian's server binaries (`initdb`, `pg_ctl`, `postgres`) live in /usr/lib/postgresql/<version>/bin, off PATH.
PostgreSQL refuses to run as root, so when we are root the cluster's folder is handed to the `postgres`
user and the binaries run through `runuser`. The server listens on 127.0.0.1 (and a unix socket inside the
cluster's folder), with password authentication; the password is generated once and kept in the folder.

    python -m orchestration.deploy.local_postgres start [--root .pg] [--port N]
    python -m orchestration.deploy.local_postgres env   [--root .pg]   # DAGSTER_PG_* lines for `env`
    python -m orchestration.deploy.local_postgres stop  [--root .pg]
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "postgres"  # who runs the server when we are root
DB_USER = DB_NAME = "dagster"
HOST = "127.0.0.1"


class PostgresUnavailable(RuntimeError):
    """The server binaries are not installed, or the cluster could not be started."""


def find_bin_dir() -> Path | None:
    """Folder of initdb/pg_ctl: $PG_BIN, else Debian's newest /usr/lib/postgresql/*/bin, else PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: _version(p.parent.parent.name))
    if debian:
        return debian[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class LocalCluster:
    """One cluster in `root`: data/ (the cluster), sock/ (its unix socket), server.log, password, port."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def password(self) -> str:
        return (self.root / "password").read_text().strip()

    @property
    def port(self) -> int:
        return int((self.root / "port").read_text())

    def env(self) -> dict[str, str]:
        """The connection variables deploy/dagster.yaml reads."""
        return {"DAGSTER_PG_HOST": HOST, "DAGSTER_PG_PORT": str(self.port), "DAGSTER_PG_USER": DB_USER,
                "DAGSTER_PG_PASSWORD": self.password, "DAGSTER_PG_DB": DB_NAME}

    def _run(self, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        bin_dir = find_bin_dir()
        if bin_dir is None or not (bin_dir / "initdb").exists():
            raise PostgresUnavailable("PostgreSQL server binaries not found (Debian: apt-get install postgresql; "
                                      "or set PG_BIN to the folder holding initdb and pg_ctl)")
        cmd = [str(bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", SERVICE_USER, "--", *cmd]
        env = {**os.environ, "LC_ALL": "C", **(extra_env or {})}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")
        return done

    def _hand_over(self) -> None:
        """When root: the service user must own the cluster's folder and reach it."""
        if os.geteuid() != 0:
            return
        import pwd

        entry = pwd.getpwnam(SERVICE_USER)
        closed = [p for p in self.root.parents if not os.stat(p).st_mode & 0o001]
        if closed:
            raise PostgresUnavailable(f"{SERVICE_USER} cannot reach {self.root}: {closed[0]} is not "
                                      "searchable by others (chmod o+x, or put the cluster elsewhere)")
        for path in [self.root, *self.root.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self, port: int | None = None) -> None:
        """Create the cluster once (an existing one keeps its data, password and port)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if (self.data / "PG_VERSION").exists():
            return
        (self.root / "password").write_text(secrets.token_hex(16) + "\n")
        (self.root / "password").chmod(0o600)
        (self.root / "port").write_text(str(port or free_port()))
        (self.root / "sock").mkdir(exist_ok=True)
        self._hand_over()
        self._run("initdb", "-D", str(self.data), "-U", DB_USER, "--pwfile", str(self.root / "password"),
                  "--auth=scram-sha-256", "-E", "UTF8", "--no-instructions")

    def start(self, port: int | None = None) -> None:
        """Init if needed, start listening on 127.0.0.1:<port> only, create the database; idempotent."""
        self.init(port)
        if not self.running():
            options = f"-c listen_addresses={HOST} -p {self.port} -k {self.root / 'sock'}"
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options,
                      "-w", "-t", "60", "start")
        exists = self._run("psql", "-h", HOST, "-p", str(self.port), "-U", DB_USER, "-d", "postgres", "-tAc",
                           f"select 1 from pg_database where datname = '{DB_NAME}'",
                           extra_env={"PGPASSWORD": self.password}).stdout.strip()
        if exists != "1":
            self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", DB_USER, DB_NAME,
                      extra_env={"PGPASSWORD": self.password})

    def running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        try:
            self._run("pg_ctl", "-D", str(self.data), "status")
        except PostgresUnavailable:
            return False
        return True

    def stop(self) -> None:
        if self.running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.deploy.local_postgres",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["start", "stop", "env", "status"])
    parser.add_argument("--root", type=Path, default=Path(".pg"), help="the cluster's folder (default .pg)")
    parser.add_argument("--port", type=int, help="port on 127.0.0.1 when creating the cluster (default: a free one)")
    args = parser.parse_args(argv)
    cluster = LocalCluster(args.root.resolve())
    try:
        if args.action == "start":
            cluster.start(args.port)
            print(f"PostgreSQL listening on {HOST}:{cluster.port} (cluster {cluster.data}, log "
                  f"{cluster.root / 'server.log'})", file=sys.stderr)
        elif args.action == "stop":
            cluster.stop()
        elif args.action == "status":
            print("running" if cluster.running() else "stopped")
            return 0 if cluster.running() else 3
        else:
            print("\n".join(f"{k}={v}" for k, v in cluster.env().items()))
    except (PostgresUnavailable, FileNotFoundError) as exc:
        print(f"local PostgreSQL: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
