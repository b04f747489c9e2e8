"""Writes extract.pledge_clusters / extract.agreement_clusters (one fact id per report), re-resolving only
what new documents can change.

The greedy clustering decomposes into components (resolve/reports.py): a component's clusters and ids
depend on its own reports alone. So beside the clusters each kind keeps every report's component
(`extract.pledge_components`, `agreement_components`: 64-bit hashes of the report's id and of its
component's first report id) and every report's blocks (`extract.pledge_blocks`, `agreement_blocks`: 64-bit
hashes of the blocks it is filed under and looks up). When documents are extracted, the stored reports
sharing a block with a new report (filed against looked up, either way round) are loaded, and those it fits
are linked to it: their components, and those that held a report of a re-extracted document (its old rows
are gone), are the ones touched. Nothing else can be linked to what changed, so only the touched components
and the new reports are clustered again, and only their rows are rewritten. Two blocks or components
hashing alike only load more reports, never fewer. Anything the incremental path cannot trust (no state,
another `reports.RESOLVER_VERSION`, components or clusters that do not cover exactly the reports of the
other documents, two reports hashing alike) makes it resolve everything, as a rebuild would.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from orchestration.domain.extract import changes, frames
from orchestration.domain.resolve.agreements import AGREEMENTS
from orchestration.domain.resolve.collector import no_gc
from orchestration.domain.resolve.pledges import PLEDGES
from orchestration.domain.resolve.reports import (
    RESOLVER_VERSION,
    Blocks,
    Report,
    Rules,
    block_parts,
    blocks_of,
    cluster_components,
)


@dataclass(frozen=True)
class FactKind:
    """One kind of fact: where its reports are, and the rules that cluster them."""

    name: str  # the change-log kind; tables extract.<name>_clusters, _components, _blocks
    facts: str  # extract table of the reports
    columns: str  # of it, what the resolver reads
    parties: str  # extract table of the reports' parties
    party_columns: str
    rules: Rules

    @property
    def id_col(self) -> str:
        return f"{self.name}_id"

    def table(self, part: str) -> str:
        return f"extract.{self.name}_{part}"


KINDS = (
    FactKind("pledge", "pledges", "amount, currency, usd_amount_stated, alt_amount, alt_currency, status, "
             "target_country_code, purpose, pledge_date", "pledge_parties", "party_type, party_id, role", PLEDGES),
    FactKind("agreement", "agreements", "agreement_type, signed_date, subject", "agreement_parties",
             "party_type, party_id", AGREEMENTS),
)

DDL = "".join(f"""
create table if not exists extract.{k.name}_components (
    document_id varchar not null, local_id varchar not null, report bigint not null, component bigint not null);
create table if not exists extract.{k.name}_blocks (report bigint not null, block bigint not null,
    filed boolean not null);""" for k in KINDS) + """
create table if not exists extract.fact_resolution_state (kind varchar not null, resolver_version varchar not null);
"""

_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes 64-bit values


def _digest(value: Hashable) -> int:
    """A stable 64-bit hash (repr is canonical for the str, int, None and tuple values keys are built of)."""
    return int.from_bytes(hashlib.blake2b(repr(value).encode(), digest_size=8).digest(), "big")


def _int64(values: list[int]) -> np.ndarray:
    """Unsigned 64-bit hashes as DuckDB BIGINTs."""
    return np.array(values, dtype=np.uint64).view(np.int64)


class _BlockIds:
    """The stored ids of a report's blocks: a block (key, slot) is its key's hash, scrambled, xor its slot's
    (what `reports.blocks_of` crosses, crossed here as integers); keys and slots repeat, so each is hashed
    once."""

    def __init__(self, keys: Callable[[Report], Blocks]) -> None:
        self._keys = keys
        self._seen: dict[tuple[bool, Hashable], int] = {}

    def _part(self, is_key: bool, value: Hashable) -> int:
        found = self._seen.get((is_key, value))
        if found is None:
            found = _digest(value)
            self._seen[(is_key, value)] = found = (found * _MIX) & _MASK if is_key else found
        return found

    def of(self, rep: Report) -> tuple[list[int], list[int]]:
        """(ids of the blocks `rep` is filed under, of those it looks up), unsigned."""
        out = []
        for keys, slots in block_parts(rep, self._keys):
            slot_ids = [self._part(False, s) for s in slots]
            out.append([self._part(True, k) ^ s for k in keys for s in slot_ids])
        return out[0], out[1]


def _reports(con: duckdb.DuckDBPyConnection, kind: FactKind, pick: str = "",
             keys: pd.DataFrame | None = None) -> list[Report]:
    """The reports of documents in ingest.documents: all, those of the new documents (`pick` = "new") or
    those named in `keys` (document_id, local_id)."""
    cols = [c.strip() for c in kind.party_columns.split(",")]
    narrow = {"": "", "new": "semi join _new_docs using (document_id)",
              "keys": "semi join _keys using (document_id, local_id)"}[pick]
    with frames.registered(con, **({"_keys": keys} if keys is not None else {})):
        cur = con.execute(f"""
            with sel as (
                select f.document_id, f.local_id, {kind.columns}, d.published_date
                from extract.{kind.facts} f join ingest.documents d using (document_id) {narrow}),
            parts as (
                select document_id, local_id, {", ".join(f"list({c}) as {c}" for c in cols)}
                from extract.{kind.parties} semi join sel using (document_id, local_id) group by all)
            select sel.*, {", ".join(f"parts.{c}" for c in cols)}
            from sel left join parts using (document_id, local_id) order by sel.document_id, sel.local_id""")
        names = [d[0] for d in cur.description][:-len(cols)]
        rows = cur.fetchall()
    out = []
    for row in rows:
        record = dict(zip(names, row[:len(names)], strict=True))
        record["parties"] = list(zip(*(p or [] for p in row[len(names):]), strict=True))
        out.append(kind.rules.report(record))
    return out


def _trusted(con: duckdb.DuckDBPyConnection, kind: FactKind) -> bool:
    """The stored components and clusters were resolved by this resolver and cover exactly the reports of
    documents other than the new ones, and no two stored reports share a hashed id (blocks are deleted by
    it)."""
    state = con.execute("select resolver_version from extract.fact_resolution_state where kind = ?",
                        [kind.name]).fetchall()
    if state != [(RESOLVER_VERSION,)]:
        return False
    counts = con.execute(f"""
        with cur as (select document_id, local_id from extract.{kind.facts}
                     semi join ingest.documents using (document_id) anti join _new_docs using (document_id))
        select (select count(*) from cur),
               (select count(*) from {kind.table("components")} anti join _new_docs using (document_id)),
               (select count(*) from {kind.table("components")} semi join cur using (document_id, local_id)),
               (select count(*) from {kind.table("clusters")} anti join _new_docs using (document_id)),
               (select count(*) from {kind.table("clusters")} semi join cur using (document_id, local_id)),
               (select count(*) - count(distinct report) from {kind.table("components")})
        """).fetchall()[0]
    return len(set(counts[:-1])) == 1 and counts[-1] == 0


def _blocks_frame(ids: _BlockIds, reports: list[Report]) -> pd.DataFrame:
    """(report, block, filed) rows of the reports' blocks, as stored."""
    owners: list[int] = []
    blocks: list[int] = []
    filed_col: list[bool] = []
    for rep in reports:
        filed, looked = ids.of(rep)
        owners += [_digest(rep.fact_id)] * (len(filed) + len(looked))
        blocks += filed + looked
        filed_col += [True] * len(filed) + [False] * len(looked)
    return pd.DataFrame({"report": _int64(owners), "block": _int64(blocks), "filed": np.array(filed_col, bool)})


def _touched(con: duckdb.DuckDBPyConnection, kind: FactKind, new: list[Report],
             new_blocks: pd.DataFrame) -> tuple[list[int], list[Report]]:
    """The stored components linked to a new report, or that held a report of a new (re-extracted) document;
    and the reports of other documents in them."""
    rules = kind.rules
    with frames.registered(con, _new_blocks=new_blocks):
        near = con.execute(f"""
            select distinct c.document_id, c.local_id, c.component
            from (select distinct block, filed from _new_blocks) n join {kind.table("blocks")} s
                on s.block = n.block and s.filed <> n.filed
            join {kind.table("components")} c on c.report = s.report
            anti join _new_docs using (document_id)""").df()
    filed_by: dict[tuple, list[Report]] = {}
    looked_by: dict[tuple, list[Report]] = {}
    for rep in new:
        for by, found in zip((filed_by, looked_by), blocks_of(rep, rules.keys), strict=True):
            for block in found:
                by.setdefault(block, []).append(rep)
    component = {(d, loc): c for d, loc, c in near.itertuples(index=False)}
    hit = set()
    for old in _reports(con, kind, "keys", near[["document_id", "local_id"]]):
        filed, looked = blocks_of(old, rules.keys)
        partners = {id(n): n for b in looked for n in filed_by.get(b, ())} | \
                   {id(n): n for b in filed for n in looked_by.get(b, ())}
        if any(rules.compatible(old, n) or rules.compatible(n, old) for n in partners.values()):
            hit.add(component[(old.document_id, old.local_id)])
    hit.update(r[0] for r in con.execute(
        f"select component from {kind.table('components')} semi join _new_docs using (document_id)").fetchall())
    with frames.registered(con, _hit=pd.DataFrame({"component": np.array(sorted(hit), dtype=np.int64)})):
        members = con.execute(f"select document_id, local_id from {kind.table('components')} "
                              "semi join _hit using (component) anti join _new_docs using (document_id)").df()
    return sorted(hit), _reports(con, kind, "keys", members)


def _write(con: duckdb.DuckDBPyConnection, kind: FactKind, clusters: list[list[Report]], heads: list[int],
           hit: list[int] | None, blocks: pd.DataFrame) -> None:
    """Replace the clusters and components of the re-resolved reports (`hit`: the stored components they
    replace; None: everything), store `blocks` (of every report, or of the new ones: the others' do not
    change) and log what changed, in one transaction."""
    rows = [(rep.document_id, rep.local_id, members[0].fact_id, _digest(rep.fact_id),
             _digest(clusters[heads[ci]][0].fact_id)) for ci, members in enumerate(clusters) for rep in members]
    out = pd.DataFrame([r[:3] for r in rows], columns=["document_id", "local_id", kind.id_col])
    out["report"] = _int64([r[3] for r in rows])
    out["component"] = _int64([r[4] for r in rows])
    hit_frame = pd.DataFrame({"component": np.array(hit or [], dtype=np.int64)})
    clusters_t, components_t, blocks_t = (kind.table(p) for p in ("clusters", "components", "blocks"))
    with frames.transaction(con, _clusters=out, _blocks=blocks, _hit=hit_frame):
        changes.log_cluster_diff(con, kind.name, clusters_t, kind.id_col, "_clusters", whole=hit is None)
        if hit is None:
            for table in (clusters_t, components_t, blocks_t):
                con.execute(f"delete from {table}")
        else:  # the ids of reports that vanished with their re-extracted document
            changes.log(con, kind.name, f"select {kind.id_col} from {clusters_t} semi join _new_docs using "
                        "(document_id) anti join _clusters using (document_id, local_id)")
            con.execute(f"delete from {clusters_t} where document_id in (select document_id from _new_docs)")
            con.execute(f"delete from {clusters_t} t using _clusters r "
                        "where t.document_id = r.document_id and t.local_id = r.local_id")
            con.execute(f"delete from {blocks_t} where report in (select report from {components_t} "
                        "semi join _new_docs using (document_id))")
            con.execute(f"delete from {components_t} where component in (select component from _hit)")
        con.execute(f"insert into {clusters_t} select document_id, local_id, {kind.id_col} from _clusters")
        con.execute(f"insert into {components_t} select document_id, local_id, report, component from _clusters")
        con.execute(f"insert into {blocks_t} select report, block, filed from _blocks")
        con.execute("delete from extract.fact_resolution_state where kind = ?", [kind.name])
        con.execute("insert into extract.fact_resolution_state values (?, ?)", [kind.name, RESOLVER_VERSION])


def _refresh_kind(con: duckdb.DuckDBPyConnection, kind: FactKind, everything: bool) -> int:
    ids = _BlockIds(kind.rules.keys)
    if everything or not _trusted(con, kind):
        reports = _reports(con, kind)
        clusters, heads = cluster_components(reports, kind.rules.compatible, kind.rules.keys)
        _write(con, kind, clusters, heads, None, _blocks_frame(ids, reports))
    else:
        new = _reports(con, kind, "new")
        blocks = _blocks_frame(ids, new)
        hit, old = _touched(con, kind, new, blocks)
        if new or hit:
            clusters, heads = cluster_components(new + old, kind.rules.compatible, kind.rules.keys)
            _write(con, kind, clusters, heads, hit, blocks)
    return con.execute(f"select count(distinct {kind.id_col}) from {kind.table('clusters')}").fetchall()[0][0]


def refresh(con: duckdb.DuckDBPyConnection, new_document_ids: list[str] | None = None) -> tuple[int, int]:
    """Bring the pledge and agreement clusters up to date (see the module); `new_document_ids`: every
    document extracted, or pending, since the last refresh (None: resolve everything). Returns the number
    of real pledges and of real agreements."""
    con.execute(DDL)
    new_docs = pd.DataFrame({"document_id": pd.Series(new_document_ids or [], dtype="object")})
    with frames.registered(con, _new_docs=new_docs), no_gc():
        pledges, agreements = (_refresh_kind(con, kind, new_document_ids is None) for kind in KINDS)
    return pledges, agreements


def clusters_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Every pledge and agreement has its cluster row (false in a working database from before resolution,
    which the next refresh then resolves even when no document is new)."""
    for kind in KINDS:
        missing = con.execute(f"select count(*) from extract.{kind.facts} semi join ingest.documents "
                              f"using (document_id) anti join {kind.table('clusters')} using (document_id, local_id)"
                              ).fetchall()[0][0]
        if missing:
            return False
    return True
