"""Chart and number formatting shared by the pages (Altair, which Streamlit renders with Vega-Lite)."""
from __future__ import annotations

import altair as alt
import pandas as pd


def usd_million(usd: float | None) -> str:
    """US dollars as the pages show them: `$9,915.7M` (USD million, one decimal)."""
    return "—" if usd is None or pd.isna(usd) else f"${usd / 1e6:,.1f}M"


def hbar(df: pd.DataFrame, *, y: str, x: str, color: str, y_title: str, x_title: str, color_title: str,
         x_format: str = ",.0f") -> alt.LayerChart:
    """Horizontal stacked bars, longest first, each bar's total written at its end."""
    # no y title: the bars' labels and the section heading name them, and a title would overlap long labels
    y_axis = alt.Y(f"{y}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360))
    bars = alt.Chart(df).mark_bar().encode(
        y=y_axis,
        x=alt.X(f"sum({x}):Q", title=x_title, axis=alt.Axis(format=x_format)),
        color=alt.Color(f"{color}:N", title=color_title, legend=alt.Legend(orient="bottom", columns=2, labelLimit=260)),
        tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{color}:N", title=color_title),
                 alt.Tooltip(f"sum({x}):Q", title=x_title, format=x_format)],
    )
    totals = alt.Chart(df).mark_text(align="left", dx=4, fontSize=12).encode(
        y=y_axis, x=alt.X(f"sum({x}):Q"), text=alt.Text(f"sum({x}):Q", format=x_format))
    return (bars + totals).properties(height=alt.Step(30))


def monthly_bars(df: pd.DataFrame, *, month: str, value: str, color: str, value_title: str,
                 color_title: str) -> alt.Chart:
    """Stacked bars per calendar month, every month from the first to the last shown (empty ones too),
    each label under its own bar."""
    months = pd.to_datetime(df[month])
    span = pd.period_range(months.min(), months.max(), freq="M") if len(df) else []
    domain = [p.strftime("%b %Y") for p in span]
    data = df.assign(month_label=months.dt.strftime("%b %Y"))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("month_label:O", title="Month", scale=alt.Scale(domain=domain), sort=domain,
                axis=alt.Axis(labelAngle=-45 if len(domain) > 12 else 0)),
        y=alt.Y(f"sum({value}):Q", title=value_title, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color(f"{color}:N", title=color_title, legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[alt.Tooltip("month_label:O", title="Month"), alt.Tooltip(f"{color}:N", title=color_title),
                 alt.Tooltip(f"sum({value}):Q", title=value_title)],
    ).properties(height=320)


def days(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Dates as `YYYY-MM-DD` text for st.table (which would print midnight times), blank when unknown."""
    out = df.copy()
    for col in columns:
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d").fillna("")
    return out
