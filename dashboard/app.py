"""The analysts' dashboard: events, pledges, agreements and the latest refresh of the published warehouse.

Started by `make dashboard` (dashboard/launch.py: bound to 127.0.0.1, headless, no usage statistics).
Every page load opens the published file anew, read-only (warehouse_data.open_snapshot), so a refresh's
atomic rename shows on the next load; with nothing published yet every page says how to get there.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

# Streamlit puts this script's folder on sys.path; the pages import the modules beside it by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import streamlit as st  # noqa: E402
import warehouse_data as data  # noqa: E402
from views import agreements, events, pledges, refresh  # noqa: E402

st.set_page_config(page_title="Trade news warehouse", page_icon=":material/public:", layout="wide")


def _age(published_at: datetime) -> str:
    minutes = int((datetime.now(UTC) - published_at).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} days ago"


def _nothing_published(path: Path) -> None:
    st.title("No warehouse published yet")
    st.info(f"There is no published warehouse at `{path}` (WAREHOUSE_DB_PATH).\n\n"
            "Run `make refresh` to build it from the dumps in the landing folder (or start `make dev` and drop "
            "a dump into it). This page reads the file again each time it is loaded.")
    st.button("Check again", icon=":material/refresh:")


def _unreadable(message: str) -> None:
    st.title("The published warehouse cannot be read")
    st.error(f"{message}\n\nThe file is not a DuckDB warehouse with schema `marts`, or it is damaged. "
             "A successful `make refresh` replaces it.")
    st.button("Check again", icon=":material/refresh:")


def _page(render: Callable[[data.Snapshot], None]) -> Callable[[], None]:
    """A page that opens the published file for this page load only, and closes it when drawn."""
    def run() -> None:
        path = data.published_path()
        try:
            with data.open_snapshot(path) as snap:
                with st.sidebar:
                    st.caption(f"Warehouse published {snap.published_at:%Y-%m-%d %H:%M} UTC "
                               f"({_age(snap.published_at)})  \n`{snap.path}`")
                render(snap)
        except data.NotPublished:
            _nothing_published(path)
        except data.Unreadable as err:
            _unreadable(str(err))
    return run


PAGES = [  # (module, title, icon, url path)
    (events, "Events", ":material/event:", "events"),
    (pledges, "Pledges", ":material/payments:", "pledges"),
    (agreements, "Agreements", ":material/handshake:", "agreements"),
    (refresh, "Latest refresh", ":material/update:", "refresh"),
]

st.navigation([st.Page(_page(module.render), title=title, icon=icon, url_path=url, default=(url == "events"))
               for module, title, icon, url in PAGES]).run()
