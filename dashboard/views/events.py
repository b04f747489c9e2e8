"""Events over time, by type and by country (fct_events: one row per real-world event)."""
from __future__ import annotations

import charts
import streamlit as st
import warehouse_data as data


def render(snap: data.Snapshot) -> None:
    st.title("Events over time")
    st.caption("Meetings, forums, summits and ceremonies read from the press releases. Each real-world event "
               "counts once, however many documents report it (`marts.fct_events`).")
    types, countries = data.event_options(snap)
    with st.sidebar:
        st.subheader("Filter events")
        chosen_types = st.multiselect("Event type", types, format_func=data.humanize, placeholder="All types")
        chosen_countries = st.multiselect("Country", countries, placeholder="All countries")
    totals = data.event_totals(snap, chosen_types, chosen_countries)
    cols = st.columns(4)
    cols[0].metric("Events", f"{totals['events']:,}", border=True)
    cols[1].metric("With a known date", f"{totals['dated']:,}", border=True)
    cols[2].metric("Host countries", f"{totals['countries']:,}", border=True,
                   help="Distinct countries where the events took place (where a release says so).")
    cols[3].metric("Reporting documents", f"{totals['documents']:,}", border=True)
    if not totals["events"]:
        st.info("No event matches these filters.")
        return

    monthly = data.events_per_month(snap, chosen_types, chosen_countries)
    monthly["type"] = monthly["event_type"].map(data.humanize)
    st.subheader("Events per month, by type")
    st.altair_chart(charts.monthly_bars(monthly, month="month", value="events", color="type",
                                        value_title="Events", color_title="Event type"))
    undated = totals["events"] - totals["dated"]
    if undated:
        st.caption(f"{undated} event(s) without a known date are not plotted (they are in the tables below). "
                   "A month-precision date is plotted in its month.")

    left, right = st.columns(2)
    with left:
        st.subheader("Events by host country and type")
        by_country = data.events_by_country(snap, chosen_types, chosen_countries)
        by_country["type"] = by_country["event_type"].map(data.humanize)
        st.altair_chart(charts.hbar(by_country, y="country", x="events", color="type", y_title="Host country",
                                    x_title="Events", color_title="Event type", x_format="d"))
    with right:
        st.subheader("Events by type")
        by_type = data.events_by_type(snap, chosen_types, chosen_countries)
        by_type = charts.days(by_type, "first", "last")
        by_type["event_type"] = by_type["event_type"].map(data.humanize)
        st.table(by_type.rename(columns={"event_type": "Event type", "events": "Events", "dated": "Dated",
                                         "first": "First", "last": "Last"}), hide_index=True)

    st.subheader("All events")
    listing = data.event_list(snap, chosen_types, chosen_countries)
    listing["event_type"] = listing["event_type"].map(data.humanize)
    st.dataframe(listing, hide_index=True, column_config={
        "start_date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
        "date_precision": "Date precision",
        "event_name": st.column_config.TextColumn("Event", width="large"),
        "event_type": "Type", "city": "City", "country": "Country", "attendees": "Attendees",
        "participants": st.column_config.TextColumn("Participants", width="large"),
        "documents": "Documents"})
