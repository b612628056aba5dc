"""The registry of record kinds that My information shows, prints and exports.

A capability adds what it keeps about a resident by registering one RecordKind:

    record_kind(RecordKind(
        key="notice_reads", title=_l("Notices you have read"),
        query=lambda resident: select(NoticeRead).where(NoticeRead.resident_id == resident.id)
                               .order_by(NoticeRead.at.desc()).options(joinedload(NoticeRead.notice)),
        export=lambda row: {"notice": row.notice.title, "read_at": row.at},
        show=lambda row: [(_("Notice"), row.notice.title), (_("Read on"), when(row.at))],
    ))

`query` is an ordered SELECT of ORM rows with what `export` and `show` read eager-loaded, so a page of
any kind costs the same number of queries however many rows there are. `export` gives the row's stable
field codes and raw values for the JSON file; `show` gives (label, value) pairs in the reader's language
for the page and the printout (a value may be a list of lines, such as a request's timeline).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from ..services.paging import count_rows, fetch_page


@dataclass(frozen=True)
class RecordKind:
    key: str
    title: object  # a lazy string
    query: Callable
    export: Callable
    show: Callable
    # Shown only to the resident and their helper, never to the others (all kinds are today).
    position: int = 100


KINDS: dict[str, RecordKind] = {}


def record_kind(kind: RecordKind) -> RecordKind:
    """Register a kind (once per key: a second registration of the same key replaces the first)."""
    KINDS[kind.key] = kind
    return kind


def kinds() -> list[RecordKind]:
    return sorted(KINDS.values(), key=lambda kind: (kind.position, kind.key))


def kind_or_none(key: str) -> RecordKind | None:
    return KINDS.get(key)


def summary(session, resident, latest: int) -> list[dict]:
    """Each kind with its total and its `latest` rows, for the My information page (2 queries a kind)."""
    out = []
    for kind in kinds():
        query = kind.query(resident)
        page = fetch_page(session, query, 1, latest)
        total = count_rows(session, query)  # always, so the page costs the same for every resident
        out.append({"kind": kind, "rows": [kind.show(row) for row in page.items], "total": total})
    return out


def kind_page(session, resident, kind: RecordKind, number: int, size: int):
    page = fetch_page(session, kind.query(resident), number, size)
    return page, [kind.show(row) for row in page.items]


def everything(session, resident) -> list[dict]:
    """Every row of every kind, for the download (a resident's own rows: hundreds at most)."""
    return [{"kind": kind, "rows": list(session.scalars(kind.query(resident)))} for kind in kinds()]


def plain(value):
    """A raw value as JSON: dates and times in ISO 8601 (times are UTC, marked Z)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z" if value.tzinfo is None else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def export_all(session, resident) -> dict:
    return {
        entry["kind"].key: [plain(entry["kind"].export(row)) for row in entry["rows"]]
        for entry in everything(session, resident)
    }
