"""`make dashboard`: start Streamlit on 127.0.0.1 only, headless, without usage statistics.

Why a launcher instead of flags in the Makefile: the test starts the dashboard exactly as `make` does.
Streamlit has no authentication, so it listens on loopback only; put an authenticating reverse proxy in
front of it to reach it from elsewhere (docs/dashboard.md). DASHBOARD_PORT chooses the port (8501).
The process execs Streamlit, so the pid `make` or a test started is the server's.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


def port() -> int:
    value = os.environ.get("DASHBOARD_PORT", "").strip()
    if not value:
        return DEFAULT_PORT
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SystemExit(f"DASHBOARD_PORT must be a TCP port number, not {value!r}")
    return int(value)


def streamlit_argv(port_number: int) -> list[str]:
    """The command line of the server: every setting that matters is explicit, none read from ~/.streamlit."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            f"--server.address={ADDRESS}", f"--server.port={port_number}",
            "--server.headless=true", "--server.showEmailPrompt=false",
            "--browser.gatherUsageStats=false", f"--browser.serverAddress={ADDRESS}",
            "--server.fileWatcherType=none", "--server.runOnSave=false",
            "--client.toolbarMode=viewer", "--theme.base=light"]


def main() -> None:
    port_number = port()
    argv = streamlit_argv(port_number)
    print(f"dashboard on http://{ADDRESS}:{port_number} (reads WAREHOUSE_DB_PATH read-only; Ctrl-C stops)", flush=True)
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()
