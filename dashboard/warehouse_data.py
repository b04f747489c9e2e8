"""Every query the dashboard runs, on the published warehouse, read-only.

Why a fresh in-memory DuckDB per page load that ATTACHes the published file READ_ONLY (instead of
`duckdb.connect(path)` kept open): `duckdb.connect(path)` shares one database instance per path inside a
process, and Streamlit serves every browser session from one process, so a single connection left open
anywhere would pin the old snapshot after a refresh renames a new file into place. Attaching from a new
in-memory database opens the path anew each time: every page load sees the file published last, and a
reader never holds anything a refresh writes (publishing replaces the file by an atomic rename).

No Streamlit import here: the pages render what these functions return (pandas frames of plain columns).
Amounts in USD are summed over `fct_pledges` rows, one row per pledge; parties are joined in only to name
them (one label per pledge), never to multiply a pledge's amount.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.domain.warehouse.config import load_config

NOT_STATED = "(not stated)"
NO_PLEDGER = "(pledger not named)"

# The display name of a party of any type (`b` is a bridge row with party_type / party_key).
_PARTY_NAME = """coalesce(
    case b.party_type when 'organization' then o.name when 'country' then c.name when 'person' then pe.full_name end,
    b.party_key)"""
_PARTY_JOINS = """
left join marts.dim_organizations o on b.party_type = 'organization' and o.organization_key = b.party_key
left join marts.dim_countries c on b.party_type = 'country' and c.country_key = b.party_key
left join marts.dim_people pe on b.party_type = 'person' and pe.person_key = b.party_key"""


@dataclass
class Snapshot:
    """One open, read-only view of the published warehouse, for one page load."""

    path: Path
    published_at: datetime  # the file's modification time: publishing writes a new copy, then renames it
    size_bytes: int
    con: duckdb.DuckDBPyConnection

    def df(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or {}).df()

    def scalar(self, sql: str, params: dict | None = None):
        return self.con.execute(sql, params or {}).fetchone()[0]


class NotPublished(Exception):
    """No warehouse has been published at the configured path yet."""


class Unreadable(Exception):
    """A file is at the path but DuckDB cannot read marts from it (not a warehouse, or damaged)."""


def published_path() -> Path:
    """WAREHOUSE_DB_PATH, resolved as the pipeline resolves it."""
    return load_config().db_path


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def open_snapshot(path: Path | None = None) -> Iterator[Snapshot]:
    """Attach the published file read-only in a new in-memory database; closed when the block ends."""
    path = path or published_path()
    try:
        stat = path.stat()
    except FileNotFoundError as missing:
        raise NotPublished(str(path)) from missing
    con = duckdb.connect(":memory:")
    try:
        try:
            # ATTACH takes no parameters: the path is quoted as a SQL string literal
            con.execute(f"attach {_sql_string(str(path))} as warehouse (read_only)")
            con.execute("use warehouse")
            con.execute("select count(*) from marts.fct_events").fetchone()
        except duckdb.Error as err:
            raise Unreadable(f"{path}: {err}") from err
        yield Snapshot(path, datetime.fromtimestamp(stat.st_mtime, UTC), stat.st_size, con)
    finally:
        con.close()


# ---------------------------------------------------------------- latest refresh

def table_counts(snap: Snapshot) -> pd.DataFrame:
    """Rows of every table in schema marts (whatever tables a later contract adds)."""
    names = snap.con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'warehouse' and table_schema = 'marts' order by table_name").fetchall()
    rows = [(n, snap.scalar(f'select count(*) from marts."{n}"')) for (n,) in names]
    return pd.DataFrame(rows, columns=["table", "rows"])


def archive_facts(snap: Snapshot) -> dict:
    """What the published warehouse covers: documents, their dumps and dates."""
    docs, dumps, first, last = snap.con.execute(
        "select count(*), count(distinct source_file), min(published_date), max(published_date) "
        "from marts.dim_documents").fetchone()
    return {"documents": docs, "dumps": dumps, "first_article": first, "last_article": last}


# ---------------------------------------------------------------- events

def _events(types: list[str] | None, countries: list[str] | None) -> tuple[str, dict]:
    """A CTE `ev`: the events of the chosen types and countries (None = all), with their country's name."""
    cte = f"""
        with ev as (
            select e.*, coalesce(co.name, e.country_key, '{NOT_STATED}') as country
            from marts.fct_events e
            left join marts.dim_countries co on co.country_key = e.country_key
            where (cast($types as varchar[]) is null or list_contains($types, e.event_type))
              and (cast($countries as varchar[]) is null
                   or list_contains($countries, coalesce(co.name, e.country_key, '{NOT_STATED}'))))"""
    return cte, {"types": types or None, "countries": countries or None}


def event_options(snap: Snapshot) -> tuple[list[str], list[str]]:
    """The event types and country names that occur, for the filters."""
    cte, params = _events(None, None)
    types = snap.df(f"{cte} select distinct event_type from ev where event_type is not null order by 1", params)
    countries = snap.df(f"{cte} select distinct country from ev order by 1", params)
    return list(types["event_type"]), list(countries["country"])


def event_totals(snap: Snapshot, types: list[str] | None = None, countries: list[str] | None = None) -> dict:
    cte, params = _events(types, countries)
    row = snap.con.execute(f"""{cte}
        select count(*), count(start_date), count(distinct country_key),
               (select count(distinct document_key) from marts.bridge_event_documents
                 where event_key in (select event_key from ev))
        from ev""", params).fetchone()
    return dict(zip(["events", "dated", "countries", "documents"], row, strict=True))


def events_per_month(snap: Snapshot, types: list[str] | None = None,
                     countries: list[str] | None = None) -> pd.DataFrame:
    """Dated events per month (of their first day) and type."""
    cte, params = _events(types, countries)
    return snap.df(f"""{cte}
        select date_trunc('month', start_date) as month, event_type, count(*) as events
        from ev where start_date is not null
        group by all order by month, event_type""", params)


def events_by_country(snap: Snapshot, types: list[str] | None = None,
                      countries: list[str] | None = None) -> pd.DataFrame:
    """Events per country where they took place, and type."""
    cte, params = _events(types, countries)
    return snap.df(f"""{cte}
        select country, event_type, count(*) as events from ev
        group by all order by country, event_type""", params)


def events_by_type(snap: Snapshot, types: list[str] | None = None,
                   countries: list[str] | None = None) -> pd.DataFrame:
    cte, params = _events(types, countries)
    return snap.df(f"""{cte}
        select event_type, count(*) as events, count(start_date) as dated,
               min(start_date) as first, max(start_date) as last
        from ev group by all order by events desc, event_type""", params)


def event_list(snap: Snapshot, types: list[str] | None = None, countries: list[str] | None = None) -> pd.DataFrame:
    """One row per event with its participants and how many documents report it."""
    cte, params = _events(types, countries)
    return snap.df(f"""{cte},
        parts as (
            select bp.event_key,
                   string_agg(distinct coalesce(pe.full_name, o.name, c.name, bp.participant_key), '; '
                              order by coalesce(pe.full_name, o.name, c.name, bp.participant_key)) as participants
            from marts.bridge_event_participants bp
            left join marts.dim_people pe on bp.participant_type = 'person' and pe.person_key = bp.participant_key
            left join marts.dim_organizations o
                   on bp.participant_type = 'organization' and o.organization_key = bp.participant_key
            left join marts.dim_countries c on bp.participant_type = 'country' and c.country_key = bp.participant_key
            group by 1),
        docs as (select event_key, count(distinct document_key) as documents
                 from marts.bridge_event_documents group by 1)
        select ev.start_date, ev.date_precision, ev.event_name, ev.event_type, ev.city, ev.country,
               ev.attendees, parts.participants, coalesce(docs.documents, 0) as documents
        from ev
        left join parts using (event_key)
        left join docs using (event_key)
        order by ev.start_date nulls last, ev.event_name""", params)


# ---------------------------------------------------------------- pledges

_PLEDGE_PARTIES = f"""
with named as (
    select b.pledge_key, b.role, {_PARTY_NAME} as party
    from marts.bridge_pledge_parties b {_PARTY_JOINS}),
parties as (
    select pledge_key,
           string_agg(distinct party, ' + ' order by party) filter (where role = 'pledger') as pledgers,
           string_agg(distinct party, ' + ' order by party) filter (where role = 'recipient') as recipients
    from named group by 1)"""


def pledge_totals(snap: Snapshot) -> dict:
    """Counts and USD sums over distinct pledges (`fct_pledges` rows)."""
    row = snap.con.execute("""
        select count(*), sum(amount_usd),
               coalesce(sum(amount_usd) filter (where status = 'pledged'), 0),
               coalesce(sum(amount_usd) filter (where status = 'realized'), 0),
               count(*) filter (where amount_usd is null)
        from marts.fct_pledges""").fetchone()
    return dict(zip(["pledges", "usd", "pledged_usd", "realized_usd", "without_usd"], row, strict=True))


def pledges_by_pledgers(snap: Snapshot) -> pd.DataFrame:
    """USD per pledger, or per group of pledgers for a joint pledge: each pledge falls in exactly one row."""
    return snap.df(f"""{_PLEDGE_PARTIES}
        select coalesce(parties.pledgers, '{NO_PLEDGER}') as pledgers, p.status,
               count(*) as pledges, sum(p.amount_usd) as usd
        from marts.fct_pledges p left join parties using (pledge_key)
        group by all order by usd desc nulls last, pledgers, p.status""")


def pledges_by_target(snap: Snapshot) -> pd.DataFrame:
    """USD per country the money goes to, and status."""
    return snap.df(f"""
        select coalesce(c.name, p.target_country_key, '{NOT_STATED}') as target_country, p.status,
               count(*) as pledges, sum(p.amount_usd) as usd
        from marts.fct_pledges p
        left join marts.dim_countries c on c.country_key = p.target_country_key
        group by all order by usd desc nulls last, target_country, p.status""")


def pledge_list(snap: Snapshot) -> pd.DataFrame:
    return snap.df(f"""{_PLEDGE_PARTIES}
        select coalesce(p.pledge_date, d.published_date) as date,
               coalesce(parties.pledgers, '{NO_PLEDGER}') as pledgers,
               parties.recipients, coalesce(c.name, p.target_country_key) as target_country,
               p.amount_usd, p.amount, p.currency, p.status, p.is_approximate, p.purpose, d.title as document,
               p.evidence
        from marts.fct_pledges p
        left join parties using (pledge_key)
        left join marts.dim_documents d using (document_key)
        left join marts.dim_countries c on c.country_key = p.target_country_key
        order by p.amount_usd desc nulls last""")


# ---------------------------------------------------------------- agreements

_AGREEMENT_PARTIES = f"""
with named as (
    select b.agreement_key, {_PARTY_NAME} as party
    from marts.bridge_agreement_parties b {_PARTY_JOINS})"""


def agreement_totals(snap: Snapshot) -> dict:
    row = snap.con.execute("""
        select count(*), count(distinct agreement_type), count(*) filter (where is_binding),
               (select count(distinct (party_type, party_key)) from marts.bridge_agreement_parties)
        from marts.fct_agreements""").fetchone()
    return dict(zip(["agreements", "types", "binding", "parties"], row, strict=True))


def agreements_by_type(snap: Snapshot) -> pd.DataFrame:
    """Agreements per type with the parties that signed agreements of that type."""
    return snap.df(f"""{_AGREEMENT_PARTIES},
        typed as (select a.agreement_type, n.party from marts.fct_agreements a
                  left join named n using (agreement_key))
        select a.agreement_type, count(*) as agreements, min(a.signed_date) as first_signed,
               max(a.signed_date) as last_signed,
               (select string_agg(distinct t.party, '; ' order by t.party) from typed t
                 where t.agreement_type = a.agreement_type) as parties
        from marts.fct_agreements a
        group by all order by agreements desc, a.agreement_type""")


def agreement_parties(snap: Snapshot) -> pd.DataFrame:
    """Agreements per party and type (an agreement counts once for each of its parties)."""
    return snap.df(f"""{_AGREEMENT_PARTIES}
        select n.party, a.agreement_type, count(distinct a.agreement_key) as agreements
        from marts.fct_agreements a join named n using (agreement_key)
        group by all order by agreements desc, n.party""")


def agreement_list(snap: Snapshot) -> pd.DataFrame:
    return snap.df(f"""{_AGREEMENT_PARTIES},
        parties as (select agreement_key, string_agg(distinct party, '; ' order by party) as parties,
                           count(distinct party) as n_parties
                    from named group by 1)
        select a.signed_date, a.agreement_type, a.subject, parties.parties, coalesce(parties.n_parties, 0) as n_parties,
               a.is_binding, d.title as document, a.evidence
        from marts.fct_agreements a
        left join parties using (agreement_key)
        left join marts.dim_documents d using (document_key)
        order by a.signed_date nulls last, a.agreement_type, a.subject""")


def humanize(value: str | float | None) -> str:
    """`ministerial_meeting` -> `Ministerial meeting`; short codes (`mou`) in capitals; a missing value
    (None, or NaN in a pandas column) -> `(not stated)`."""
    if value is None or pd.isna(value) or not str(value).strip():
        return NOT_STATED
    text = str(value).replace("_", " ")
    return text.upper() if len(text) <= 3 else text[0].upper() + text[1:]
