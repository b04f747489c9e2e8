"""The latest refresh: when the published file was written and what it holds."""
from __future__ import annotations

import streamlit as st
import warehouse_data as data


def render(snap: data.Snapshot) -> None:
    st.title("Latest refresh")
    st.caption("The published warehouse this dashboard reads (WAREHOUSE_DB_PATH). A refresh replaces it "
               "atomically; reload the page to see the newest one.")
    facts = data.archive_facts(snap)
    cols = st.columns([3, 2, 2, 2])
    cols[0].metric("Published (UTC)", f"{snap.published_at:%Y-%m-%d %H:%M}", border=True,
                   help="Modification time of the published file: the moment the refresh put it in place.")
    cols[1].metric("Documents", f"{facts['documents']:,}", border=True)
    cols[2].metric("Dumps", f"{facts['dumps']:,}", border=True, help="Distinct source files of the documents.")
    cols[3].metric("File size", f"{snap.size_bytes / 1e6:,.1f} MB", border=True)
    if facts["first_article"] is not None:
        st.caption(f"Articles published from {facts['first_article']:%Y-%m-%d} to {facts['last_article']:%Y-%m-%d}.")
    st.subheader("Rows per table (schema marts)")
    st.table(data.table_counts(snap).rename(columns={"table": "Table", "rows": "Rows"}), hide_index=True)
    st.caption(f"File: `{snap.path}`")
