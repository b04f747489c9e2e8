"""Pledges and realized investments in USD, by pledger and by target country.

Each pledge (a `fct_pledges` row) is counted once: a joint pledge sits under its pledgers together
("A + B"), so the bars of every chart add up to the total at the top.
"""
from __future__ import annotations

import charts
import streamlit as st
import warehouse_data as data

USD_M = "USD million"


def render(snap: data.Snapshot) -> None:
    st.title("Pledges and investments")
    st.caption("Money pledged or invested, converted to US dollars (`marts.fct_pledges`: one row per pledge). "
               "Amounts are summed over distinct pledges; a pledge made jointly counts once, under all its "
               "pledgers together.")
    totals = data.pledge_totals(snap)
    cols = st.columns(4)
    cols[0].metric("Pledges", f"{totals['pledges']:,}", border=True)
    cols[1].metric("Total (USD)", charts.usd_million(totals["usd"]), border=True,
                   help="Sum of amount_usd over distinct pledges, in millions of US dollars.")
    cols[2].metric("Pledged (USD)", charts.usd_million(totals["pledged_usd"]), border=True,
                   help="Announced, not yet realized.")
    cols[3].metric("Realized (USD)", charts.usd_million(totals["realized_usd"]), border=True,
                   help="Investments reported as made.")
    if totals["without_usd"]:
        st.caption(f"{totals['without_usd']} pledge(s) have no USD amount (currency not convertible) and are "
                   "left out of the sums.")
    if not totals["pledges"]:
        st.info("The published warehouse holds no pledges.")
        return

    by_pledgers = data.pledges_by_pledgers(snap)
    by_pledgers["usd_m"] = by_pledgers["usd"] / 1e6
    by_pledgers["status"] = by_pledgers["status"].map(data.humanize)
    st.subheader("By pledger (USD million)")
    st.altair_chart(charts.hbar(by_pledgers, y="pledgers", x="usd_m", color="status", y_title="Pledger(s)",
                                x_title=USD_M, color_title="Status", x_format=",.1f"))

    by_target = data.pledges_by_target(snap)
    by_target["usd_m"] = by_target["usd"] / 1e6
    by_target["status"] = by_target["status"].map(data.humanize)
    left, right = st.columns([3, 2])
    with left:
        st.subheader("By target country (USD million)")
        st.altair_chart(charts.hbar(by_target, y="target_country", x="usd_m", color="status",
                                    y_title="Target country", x_title=USD_M, color_title="Status",
                                    x_format=",.1f"))
    with right:
        st.subheader("Totals by target country")
        table = (by_target.groupby("target_country", as_index=False)
                 .agg(pledges=("pledges", "sum"), usd=("usd", "sum"))
                 .sort_values(["usd", "target_country"], ascending=[False, True]))
        table["usd"] = table["usd"].map(charts.usd_million)
        st.table(table.rename(columns={"target_country": "Target country", "pledges": "Pledges",
                                       "usd": "USD"}), hide_index=True)

    st.subheader("All pledges")
    listing = data.pledge_list(snap)
    listing["status"] = listing["status"].map(data.humanize)
    st.dataframe(listing, hide_index=True, column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "pledgers": st.column_config.TextColumn("Pledger(s)", width="medium"),
        "recipients": "Recipient(s)", "target_country": "Target country",
        "amount_usd": st.column_config.NumberColumn("USD", format="dollar"),
        "amount": st.column_config.NumberColumn("Amount stated", format="localized"),
        "currency": "Currency", "status": "Status", "is_approximate": "Approx.",
        "purpose": st.column_config.TextColumn("Purpose", width="medium"),
        "document": st.column_config.TextColumn("Document", width="medium"),
        "evidence": st.column_config.TextColumn("Sentence", width="large")})
