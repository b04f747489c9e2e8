"""Agreements (MOUs, memoranda of terms, joint statements, …) by type, with their parties."""
from __future__ import annotations

import charts
import streamlit as st
import warehouse_data as data


def render(snap: data.Snapshot) -> None:
    st.title("Agreements")
    st.caption("MOUs, memoranda of terms, joint statements and other agreements read from the releases "
               "(`marts.fct_agreements`), with the organizations and countries that are party to them.")
    totals = data.agreement_totals(snap)
    cols = st.columns(4)
    cols[0].metric("Agreements", f"{totals['agreements']:,}", border=True)
    cols[1].metric("Types", f"{totals['types']:,}", border=True)
    cols[2].metric("Parties", f"{totals['parties']:,}", border=True,
                   help="Distinct organizations and countries party to at least one agreement.")
    cols[3].metric("Binding", f"{totals['binding']:,}", border=True)
    if not totals["agreements"]:
        st.info("The published warehouse holds no agreements.")
        return

    by_type = data.agreements_by_type(snap)
    st.subheader("Agreements by type")
    by_type = charts.days(by_type, "first_signed", "last_signed")
    by_type["agreement_type"] = by_type["agreement_type"].map(data.humanize)
    st.table(by_type.rename(columns={"agreement_type": "Type", "agreements": "Agreements",
                                     "first_signed": "First signed", "last_signed": "Last signed",
                                     "parties": "Parties"}), hide_index=True)

    parties = data.agreement_parties(snap)
    parties["type"] = parties["agreement_type"].map(data.humanize)
    st.subheader("Parties by number of agreements")
    st.altair_chart(charts.hbar(parties, y="party", x="agreements", color="type", y_title="Party",
                                x_title="Agreements (each counts once for every party to it)",
                                color_title="Agreement type", x_format="d"))

    st.subheader("All agreements")
    listing = data.agreement_list(snap)
    listing["agreement_type"] = listing["agreement_type"].map(data.humanize)
    st.dataframe(listing, hide_index=True, column_config={
        "signed_date": st.column_config.DateColumn("Signed", format="YYYY-MM-DD"),
        "agreement_type": "Type", "subject": st.column_config.TextColumn("Subject", width="large"),
        "parties": st.column_config.TextColumn("Parties", width="large"), "n_parties": "Parties (n)",
        "is_binding": "Binding", "document": st.column_config.TextColumn("Document", width="medium"),
        "evidence": st.column_config.TextColumn("Sentence", width="large")})
