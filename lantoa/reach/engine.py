"""The KPI engine: keeps the reach aggregates exact under every change, and rebuilds them from scratch.

Three tables, all derived (never edited by hand):

* ``HamletPopulation`` — households and residents per hamlet, summed from the roster;
* ``HouseholdPeriod`` — per (household, period): present exactly while the household has at least one
  attributable contact in that period, i.e. while it counts as *reached* then (its first contact of the
  period creates the row, the removal of its last one deletes it);
* ``HamletPeriod`` — per (hamlet, period): households and residents reached, attributable contacts.

Periods maintained: every year, half-year, quarter and first-nine-months (``periods.codes_of_date``).

Changes are applied as deltas: a new contact of a household not yet reached in a period adds the household
(and its residents) to its hamlet's figures for that period; deleting or moving the last one takes them
out; every contact adds to or removes from the hamlet's contact count. A household that moves hamlet or
changes size moves its population and its reached residents. Nothing else is touched, so a dashboard read
is a handful of rows per hamlet, whatever the number of contacts. ``recompute`` rebuilds the three tables
from the records with set-based SQL; ``manage.py recompute_indicators`` runs it, and a property test
checks that both always agree.

On PostgreSQL a transaction-scoped advisory lock per commune serialises writers of one commune, so two
concurrent batches cannot both count the same household as newly reached. SQLite serialises writers
already (IMMEDIATE transactions).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from lantoa.tenancy.models import Commune, Household

from .models import Broadcast, ChannelPeriod, Contact, CoveragePeriod, HamletPeriod, HamletPopulation, HouseholdPeriod
from .periods import codes_of_date, parse

ATTRIBUTABLE = tuple(str(c) for c in Contact.ATTRIBUTABLE)
LOCK_NAMESPACE = 5701  # first key of pg_advisory_xact_lock(int, int)

# The tables the SQL below reads and writes. Inside the SQL strings rows keep one-letter aliases: c a contact,
# h a household (or a household id of an unnested array), p a household-period row, x a subquery.
HOUSEHOLD_PERIOD_TABLE = HouseholdPeriod._meta.db_table
HAMLET_PERIOD_TABLE = HamletPeriod._meta.db_table
HAMLET_POPULATION_TABLE = HamletPopulation._meta.db_table
CHANNEL_PERIOD_TABLE = ChannelPeriod._meta.db_table
COVERAGE_PERIOD_TABLE = CoveragePeriod._meta.db_table
CONTACT_TABLE = Contact._meta.db_table
HOUSEHOLD_TABLE = Household._meta.db_table


class HouseholdPlace(NamedTuple):
    """Where a household counts: its commune and hamlet, and the residents it adds there."""

    commune_id: int
    hamlet_id: int
    members: int


class HouseholdState(NamedTuple):
    """What a household counts for in its hamlet: where it lives and its number of residents."""

    hamlet_id: int
    members: int


class ContactKey(NamedTuple):
    """What an attributable contact adds to the reached figures: its household on its date."""

    household_id: int
    date: dt.date


class ChannelKey(NamedTuple):
    """What any contact adds to the per-channel counts."""

    commune_id: int
    channel: str
    date: dt.date
    people: int
    attributable: bool


class BroadcastState(NamedTuple):
    """What a confirmed broadcast counts for: the hamlets it covered on its local date."""

    commune_id: int
    date: dt.date
    hamlet_ids: tuple[int, ...]


# Changes accumulated before one upsert: each adds to the counters of one aggregate row.


@dataclass
class ChannelChange:
    """To a channel's counts in one period (ChannelPeriod)."""

    contacts: int = 0
    attributable: int = 0
    people: int = 0

    def counters(self) -> tuple[int, int, int]:
        return self.contacts, self.attributable, self.people


@dataclass
class HamletChange:
    """To a hamlet's reach in one period (HamletPeriod)."""

    households_reached: int = 0
    residents_reached: int = 0
    contacts: int = 0

    def counters(self) -> tuple[int, int, int]:
        return self.households_reached, self.residents_reached, self.contacts


@dataclass
class PopulationChange:
    """To a hamlet's population (HamletPopulation)."""

    households: int = 0
    residents: int = 0

    def counters(self) -> tuple[int, int]:
        return self.households, self.residents


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def lock_communes(commune_ids: Iterable[int]) -> None:
    """Serialise writers of the same communes (PostgreSQL); in sorted order, so no deadlock."""
    if not _is_pg():
        return
    with connection.cursor() as cursor:
        for commune_id in sorted(set(commune_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(commune_id)])


# --- Additive upserts ----------------------------------------------------------------------------------


_CONFLICT = {
    HOUSEHOLD_PERIOD_TABLE: "household_id, period",
    HAMLET_PERIOD_TABLE: "hamlet_id, period",
    HAMLET_POPULATION_TABLE: "hamlet_id",
    CHANNEL_PERIOD_TABLE: "commune_id, period, channel",
    COVERAGE_PERIOD_TABLE: "hamlet_id, period",
}


def _pg_execute(cursor, sql: str, arrays: list[list]) -> list | None:
    """Arrays bound on the server in binary form (Django's cursors interpolate every value into the SQL text,
    which for 10,000-row batches costs more than the work itself). Returns the rows of a SELECT."""
    import psycopg  # noqa: PLC0415 — only the PostgreSQL path uses psycopg's COPY

    # Errors come out as Django's (a unique constraint's IntegrityError, which a caller may catch and replay).
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as raw:
        raw.execute(sql.replace("%s::", "%b::"), arrays)
        return raw.fetchall() if raw.description else None


def _upsert_add(table: str, key_cols: list[str], add_cols: list[str], rows: list[tuple]) -> None:
    """INSERT rows; on a key conflict add their values to the stored ones (PostgreSQL and SQLite)."""
    if not rows:
        return
    cols = key_cols + add_cols
    conflict = _CONFLICT[table]
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in add_cols)
    with connection.cursor() as cursor:
        if _is_pg():
            types = [_PG_TYPES[c] for c in cols]
            arrays = [list(col) for col in zip(*rows, strict=True)]
            unnest = ", ".join(f"%s::{t}[]" for t in types)
            _pg_execute(
                cursor,
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT * FROM unnest({unnest}) "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                arrays,
            )
        else:
            marks = ", ".join(["%s"] * len(cols))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks}) "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                rows,
            )


_PG_TYPES = {
    "commune_id": "bigint",
    "hamlet_id": "bigint",
    "household_id": "bigint",
    "period": "varchar",
    "contacts": "integer",
    "households_reached": "integer",
    "residents_reached": "integer",
    "households": "integer",
    "residents": "integer",
    "channel": "varchar",
    "attributable": "integer",
    "people": "bigint",
    "broadcasts": "integer",
    "activity_id": "bigint",
    "batch_id": "bigint",
    "created_by_id": "integer",
    "date": "date",
    "per": "varchar",
    "note": "varchar",
    "created_at": "timestamptz",
}


def _sqlite_adapter():
    """Dates and times as Django's SQLite backend stores them (``adapt_datefield_value``,
    ``adapt_datetimefield_value``: ISO text; an aware time as naive in the connection's time zone), for one insert.

    The backend's own methods read the settings and check the value on every call (5 µs a time, a millisecond
    for a call's 200 rows); here the time zone is read once and a value repeated in the rows (the insert's
    ``created_at``, a day shared by many rows) is converted once."""
    if not settings.USE_TZ:
        ops = connection.ops
        return lambda v: (
            ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else ops.adapt_datefield_value(v)
        )
    tz, done = connection.timezone, {}

    def adapt(value):
        text = done.get(value)
        if text is None:
            if isinstance(value, dt.datetime) and value.utcoffset() is not None:
                text = str(value.astimezone(tz).replace(tzinfo=None))
            else:
                text = None if value is None else str(value)
            done[value] = text
        return text

    return adapt


def insert_rows(
    table: str, cols: list[str], rows: list[tuple], *, returning: str | None = None, pg_types: dict | None = None
) -> list | None:
    """A plain multi-row INSERT, set-based on PostgreSQL (unnest of arrays), executemany on SQLite.

    ``pg_types``: the PostgreSQL type of columns this module does not know (another app's table), by name.

    ``returning``: a column (``"id"``) whose values come back, one per row in the order of ``rows`` (PostgreSQL
    and SQLite return the rows of a multi-row INSERT in the order given; Django's ``bulk_create`` relies on it).
    """
    if not rows:
        return [] if returning else None
    with connection.cursor() as cursor:
        if _is_pg():
            arrays = [list(col) for col in zip(*rows, strict=True)]
            types = {**_PG_TYPES, **(pg_types or {})}
            unnest = ", ".join(f"%s::{types[c]}[]" for c in cols)
            tail = f" RETURNING {returning}" if returning else ""
            found = _pg_execute(
                cursor, f"INSERT INTO {table} ({', '.join(cols)}) SELECT * FROM unnest({unnest}){tail}", arrays
            )
            return [value for (value,) in found] if returning else None
        adapt = _sqlite_adapter()
        # Only the columns that hold dates or times need adapting (looked up on the first row that has a value).
        dated = [
            i
            for i in range(len(cols))
            if isinstance(next((row[i] for row in rows if row[i] is not None), None), dt.date)
        ]
        if dated:
            rows = [list(row) for row in rows]
            for row in rows:
                for i in dated:
                    row[i] = adapt(row[i])
        marks = f"({', '.join(['%s'] * len(cols))})"
        if not returning:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES {marks}", rows)
            return None
        found = []
        per_statement = max(1, connection.features.max_query_params // len(cols))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES {', '.join([marks] * len(chunk))} "
                f"RETURNING {returning}",
                [v for row in chunk for v in row],
            )
            found.extend(value for (value,) in cursor.fetchall())
        return found


def apply_channels(added: Iterable[ChannelKey] = (), removed: Iterable[ChannelKey] = ()) -> None:
    """Contacts added and removed (``channel_keys``): the per-channel counts."""
    changes: dict[tuple[int, str, str], ChannelChange] = defaultdict(ChannelChange)
    for sign, items in ((1, added), (-1, removed)):
        for commune_id, channel, day, people, attributable in items:
            for code in codes_of_date(day):
                change = changes[(commune_id, code, channel)]
                change.contacts += sign
                change.attributable += sign if attributable else 0
                change.people += sign * (people or 0)
    _upsert_add(
        CHANNEL_PERIOD_TABLE,
        ["commune_id", "period", "channel"],
        ["contacts", "attributable", "people"],
        [(*key, *change.counters()) for key, change in changes.items() if any(change.counters())],
    )


def broadcast_state(broadcast) -> BroadcastState | None:
    """What a broadcast counts for, or None when cancelled (or not saved)."""
    if broadcast is None or broadcast.pk is None or broadcast.cancelled_at is not None:
        return None
    return BroadcastState(
        broadcast.commune_id,
        timezone.localdate(broadcast.broadcast_at),
        tuple(sorted(broadcast.hamlets.values_list("pk", flat=True))),
    )


def apply_coverage(old: BroadcastState | None, new: BroadcastState | None) -> None:
    """A broadcast was recorded, changed or cancelled: the hamlets' coverage counts of its periods."""
    if old == new:
        return
    deltas: Counter = Counter()
    for sign, state in ((-1, old), (1, new)):
        if state is None:
            continue
        commune_id, day, hamlet_ids = state
        for code in codes_of_date(day):
            for hamlet_id in hamlet_ids:
                deltas[(commune_id, hamlet_id, code)] += sign
    _upsert_add(
        COVERAGE_PERIOD_TABLE,
        ["commune_id", "hamlet_id", "period"],
        ["broadcasts"],
        [(c, h, p, d) for (c, h, p), d in deltas.items() if d],
    )


def _recompute_coverage(ids: list[int]) -> None:
    counts: Counter = Counter()
    rows = Broadcast.hamlets.through.objects.filter(
        broadcast__commune_id__in=ids, broadcast__cancelled_at__isnull=True
    ).values_list("broadcast__commune_id", "hamlet_id", "broadcast__broadcast_at")
    for commune_id, hamlet_id, at in rows.iterator(chunk_size=10000):
        for code in codes_of_date(timezone.localdate(at)):
            counts[(commune_id, hamlet_id, code)] += 1
    insert_rows(
        COVERAGE_PERIOD_TABLE,
        ["commune_id", "hamlet_id", "period", "broadcasts"],
        [(c, h, p, n) for (c, h, p), n in counts.items()],
    )


def channel_keys(contacts: Iterable) -> list[ChannelKey]:
    """What ``contacts`` (models, dicts or any objects with the contact's fields) add to the channel counts."""
    keys = []
    for c in contacts:
        get = c.get if isinstance(c, dict) else lambda name, c=c: getattr(c, name)
        attributable = get("household_id") is not None and get("channel") in ATTRIBUTABLE
        keys.append(ChannelKey(get("commune_id"), get("channel"), get("date"), get("people"), attributable))
    return keys


def _hamlet_rows(changes: dict[tuple[int, int, str], HamletChange]) -> list[tuple]:
    """(commune id, hamlet id, period, *counters) of the changes that change something."""
    return [(*key, *change.counters()) for key, change in changes.items() if any(change.counters())]


# --- Contacts ------------------------------------------------------------------------------------------


def contact_keys(contacts: Iterable) -> list[ContactKey]:
    """The attributable contacts among ``contacts`` (models, dicts or any objects with the contact's fields)."""
    keys = []
    for c in contacts:
        get = c.get if isinstance(c, dict) else lambda name, c=c: getattr(c, name)
        household_id, channel = get("household_id"), get("channel")
        if household_id is not None and channel in ATTRIBUTABLE:
            keys.append(ContactKey(int(household_id), get("date")))
    return keys


def apply_contacts(added: Iterable[ContactKey] = (), removed: Iterable[ContactKey] = ()) -> None:
    """Apply attributable contacts added and removed (``contact_keys``: household id and date).

    Must run in the transaction that writes the contacts, *after* they are inserted, changed or deleted:
    a household leaves a period's reached figures only when no attributable contact of it remains there.
    """
    added_pairs: Counter = Counter()
    removed_pairs: Counter = Counter()
    for household_id, day in added:
        for code in codes_of_date(day):
            added_pairs[(household_id, code)] += 1
    for household_id, day in removed:
        for code in codes_of_date(day):
            removed_pairs[(household_id, code)] += 1
    if not added_pairs and not removed_pairs:
        return
    pairs = set(added_pairs) | set(removed_pairs)  # (household id, period)
    household_ids = sorted({household_id for household_id, _period in pairs})
    households = households_by_id(household_ids)
    lock_communes({place.commune_id for place in households.values()})
    periods = sorted({period for _household_id, period in pairs})
    existing = _existing_pairs(household_ids, periods)
    only_removed = [k for k in removed_pairs if k not in added_pairs and k in existing]
    remaining = _pairs_with_contacts(only_removed)
    hamlet_changes: dict[tuple[int, int, str], HamletChange] = defaultdict(HamletChange)
    new_rows, gone = [], []
    for counted, sign in ((added_pairs, 1), (removed_pairs, -1)):
        for (household_id, period), n in counted.items():
            if household_id in households:
                commune_id, hamlet_id, _members = households[household_id]
                hamlet_changes[(commune_id, hamlet_id, period)].contacts += sign * n
    for household_id, period in added_pairs:
        if household_id in households and (household_id, period) not in existing:
            commune_id, hamlet_id, members = households[household_id]
            new_rows.append((commune_id, hamlet_id, household_id, period))
            change = hamlet_changes[(commune_id, hamlet_id, period)]
            change.households_reached += 1
            change.residents_reached += members
    for household_id, period in only_removed:
        if (household_id, period) not in remaining and household_id in households:
            commune_id, hamlet_id, members = households[household_id]
            gone.append(existing[(household_id, period)])
            change = hamlet_changes[(commune_id, hamlet_id, period)]
            change.households_reached -= 1
            change.residents_reached -= members
    insert_rows(HOUSEHOLD_PERIOD_TABLE, ["commune_id", "hamlet_id", "household_id", "period"], new_rows)
    for chunk in _chunks(gone):
        # One DELETE statement, rows not loaded: nothing cascades from or listens to a derived row, so Django
        # takes its fast path (Collector.can_fast_delete).
        HouseholdPeriod.objects.filter(pk__in=chunk).delete()
    _upsert_add(
        HAMLET_PERIOD_TABLE,
        ["commune_id", "hamlet_id", "period"],
        ["households_reached", "residents_reached", "contacts"],
        _hamlet_rows(hamlet_changes),
    )


def _existing_pairs(household_ids: list[int], periods: list[str]) -> dict[tuple[int, str], int]:
    """{(household id, period): row id} of the households already reached in these periods."""
    if _is_pg():
        with connection.cursor() as cursor:
            rows = _pg_execute(
                cursor,
                f"SELECT p.id, p.household_id, p.period FROM unnest(%s::bigint[]) AS h(id) "
                f"JOIN {HOUSEHOLD_PERIOD_TABLE} p ON p.household_id = h.id WHERE p.period = ANY(%s::varchar[])",
                [household_ids, periods],
            )
        return {(hh, period): pk for pk, hh, period in rows}
    found = {}
    for chunk in _chunks(household_ids):
        for pk, hh, period in HouseholdPeriod.objects.filter(household_id__in=chunk, period__in=periods).values_list(
            "pk", "household_id", "period"
        ):
            found[(hh, period)] = pk
    return found


def _pairs_with_contacts(pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Those (household id, period) pairs that still have an attributable contact."""
    if not pairs:
        return set()
    wanted = set(pairs)
    spans = [parse(p) for p in {p for _h, p in pairs}]
    first, last = min(s.start for s in spans), max(s.end for s in spans)
    found = set()
    for chunk in _chunks(sorted({h for h, _p in pairs})):
        for household_id, day in Contact.objects.filter(
            household_id__in=chunk, channel__in=ATTRIBUTABLE, date__gte=first, date__lte=last
        ).values_list("household_id", "date"):
            for code in codes_of_date(day):
                if (household_id, code) in wanted:
                    found.add((household_id, code))
    return found


def households_by_id(ids: list[int]) -> dict[int, HouseholdPlace]:
    """{household id: its place} for these ids (one array parameter on PostgreSQL)."""
    found = {}
    if _is_pg():
        with connection.cursor() as cursor:
            rows = _pg_execute(
                cursor,
                f"SELECT id, commune_id, hamlet_id, members FROM {HOUSEHOLD_TABLE} WHERE id = ANY(%s::bigint[])",
                [list(ids)],
            )
            return {pk: HouseholdPlace(*place) for pk, *place in rows}
    for chunk in _chunks(list(ids)):
        found.update(
            {
                pk: HouseholdPlace(*place)
                for pk, *place in Household.objects.filter(pk__in=chunk).values_list(
                    "pk", "commune_id", "hamlet_id", "members"
                )
            }
        )
    return found


def _chunks(values: list, size: int = 5000):
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --- Households ----------------------------------------------------------------------------------------


def apply_household(
    commune_id: int, household_id: int, old: tuple[int, int] | None, new: tuple[int, int] | None
) -> None:
    """A household was created (old None), deleted (new None), moved or resized.

    ``old`` and ``new`` are its ``HouseholdState`` (or plain (hamlet id, members) pairs) before and after.
    Must run before a deleted household's ``HouseholdPeriod`` rows are gone (from ``pre_delete``).
    """
    if old == new:
        return
    old = HouseholdState(*old) if old is not None else None
    new = HouseholdState(*new) if new is not None else None
    lock_communes([commune_id])
    population: dict[tuple[int, int], PopulationChange] = defaultdict(PopulationChange)
    for sign, state in ((-1, old), (1, new)):
        if state is not None:
            change = population[(commune_id, state.hamlet_id)]
            change.households += sign
            change.residents += sign * state.members
    _upsert_add(
        HAMLET_POPULATION_TABLE,
        ["commune_id", "hamlet_id"],
        ["households", "residents"],
        [(*key, *change.counters()) for key, change in population.items() if any(change.counters())],
    )
    if old is None:
        return
    if new is None:  # its contacts stay, no longer attributable (Contact.household is SET_NULL)
        gone = Contact.objects.filter(household_id=household_id, channel__in=ATTRIBUTABLE).values_list(
            "commune_id", "channel", "date", "people"
        )
        apply_channels(
            added=[ChannelKey(c, channel, day, 0, False) for c, channel, day, _people in gone],
            removed=[ChannelKey(c, channel, day, 0, True) for c, channel, day, _people in gone],
        )
    reached = list(HouseholdPeriod.objects.filter(household_id=household_id).values_list("period", flat=True))
    if not reached:
        return
    counts: Counter = Counter()
    for day in Contact.objects.filter(household_id=household_id, channel__in=ATTRIBUTABLE).values_list(
        "date", flat=True
    ):
        counts.update(codes_of_date(day))
    hamlet_changes: dict[tuple[int, int, str], HamletChange] = defaultdict(HamletChange)
    for period in reached:
        contacts = counts[period]
        for sign, state in ((-1, old), (1, new)):
            if state is not None:
                change = hamlet_changes[(commune_id, state.hamlet_id, period)]
                change.households_reached += sign
                change.residents_reached += sign * state.members
                change.contacts += sign * contacts
    _upsert_add(
        HAMLET_PERIOD_TABLE,
        ["commune_id", "hamlet_id", "period"],
        ["households_reached", "residents_reached", "contacts"],
        _hamlet_rows(hamlet_changes),
    )
    if new is not None and new.hamlet_id != old.hamlet_id:
        HouseholdPeriod.objects.filter(household_id=household_id).update(hamlet_id=new.hamlet_id)


# --- From scratch --------------------------------------------------------------------------------------


def _period_sql(kind: str, col: str = "c.date") -> str:
    if _is_pg():
        year = f"to_char({col}, 'YYYY')"
        month = f"extract(month from {col})"
        quarter = f"to_char({col}, 'YYYY\"Q\"Q')"
    else:
        year = f"strftime('%%Y', {col})"
        month = f"cast(strftime('%%m', {col}) as integer)"
        quarter = f"{year} || 'Q' || (({month} + 2) / 3)"
    return {
        "Y": year,
        "S": f"{year} || (CASE WHEN {month} <= 6 THEN 'S1' ELSE 'S2' END)",
        "Q": quarter,
        "N": f"{year} || 'N9'",
    }[kind]


def recompute(commune_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Rebuild the aggregates of these communes (all when None) from the roster and the contacts."""
    ids = sorted(commune_ids) if commune_ids is not None else list(Commune.objects.values_list("pk", flat=True))
    if not ids:
        return {"communes": 0}
    channels = ", ".join(f"'{c}'" for c in ATTRIBUTABLE)
    with transaction.atomic():
        lock_communes(ids)
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            for table in (
                HAMLET_PERIOD_TABLE,
                HOUSEHOLD_PERIOD_TABLE,
                HAMLET_POPULATION_TABLE,
                CHANNEL_PERIOD_TABLE,
                COVERAGE_PERIOD_TABLE,
            ):
                cursor.execute(f"DELETE FROM {table} WHERE commune_id IN ({marks})", ids)
            cursor.execute(
                f"INSERT INTO {HAMLET_POPULATION_TABLE} (commune_id, hamlet_id, households, residents) "
                f"SELECT h.commune_id, h.hamlet_id, COUNT(*), SUM(h.members) FROM {HOUSEHOLD_TABLE} h "
                f"WHERE h.commune_id IN ({marks}) GROUP BY h.commune_id, h.hamlet_id",
                ids,
            )
            contact_counts = []
            for kind in ("Y", "S", "Q", "N"):
                where_n = (
                    (
                        " AND extract(month from c.date) <= 9"
                        if _is_pg()
                        else " AND cast(strftime('%%m', c.date) as integer) <= 9"
                    )
                    if kind == "N"
                    else ""
                )
                period = _period_sql(kind)
                cursor.execute(
                    f"INSERT INTO {HOUSEHOLD_PERIOD_TABLE} (commune_id, hamlet_id, household_id, period) "
                    f"SELECT h.commune_id, h.hamlet_id, c.household_id, {period} "
                    f"FROM {CONTACT_TABLE} c JOIN {HOUSEHOLD_TABLE} h ON h.id = c.household_id "
                    f"WHERE c.commune_id IN ({marks}) AND c.channel IN ({channels}){where_n} "
                    f"GROUP BY h.commune_id, h.hamlet_id, c.household_id, {period}",
                    ids,
                )
                contact_counts.append(
                    f"SELECT h.commune_id, h.hamlet_id, {period} AS period, COUNT(*) AS n "
                    f"FROM {CONTACT_TABLE} c JOIN {HOUSEHOLD_TABLE} h ON h.id = c.household_id "
                    f"WHERE c.commune_id IN ({marks}) AND c.channel IN ({channels}){where_n} "
                    f"GROUP BY h.commune_id, h.hamlet_id, {period}"
                )
                cursor.execute(
                    f"INSERT INTO {CHANNEL_PERIOD_TABLE} (commune_id, period, channel, contacts, attributable, people) "
                    f"SELECT c.commune_id, {period}, c.channel, COUNT(*), "
                    f"SUM(CASE WHEN c.household_id IS NOT NULL AND c.channel IN ({channels}) THEN 1 ELSE 0 END), "
                    f"SUM(c.people) FROM {CONTACT_TABLE} c WHERE c.commune_id IN ({marks}){where_n} "
                    f"GROUP BY c.commune_id, {period}, c.channel",
                    ids,
                )
            cursor.execute(
                f"INSERT INTO {HAMLET_PERIOD_TABLE} "
                f"(commune_id, hamlet_id, period, households_reached, residents_reached, contacts) "
                f"SELECT p.commune_id, p.hamlet_id, p.period, COUNT(*), SUM(h.members), 0 "
                f"FROM {HOUSEHOLD_PERIOD_TABLE} p JOIN {HOUSEHOLD_TABLE} h ON h.id = p.household_id "
                f"WHERE p.commune_id IN ({marks}) "
                f"GROUP BY p.commune_id, p.hamlet_id, p.period",
                ids,
            )
            for select in contact_counts:
                cursor.execute(
                    f"UPDATE {HAMLET_PERIOD_TABLE} SET contacts = x.n FROM ({select}) x "
                    f"WHERE {HAMLET_PERIOD_TABLE}.hamlet_id = x.hamlet_id AND {HAMLET_PERIOD_TABLE}.period = x.period",
                    ids,
                )
        _recompute_coverage(ids)
    return {"communes": len(ids)}


def snapshot(commune_id: int) -> dict[str, dict]:
    """The aggregates of a commune as plain dicts (zero rows left out): to compare two states."""
    return {
        "population": {
            h: (n, r)
            for h, n, r in HamletPopulation.objects.filter(commune_id=commune_id).values_list(
                "hamlet_id", "households", "residents"
            )
            if n or r
        },
        "households": {
            (hh, p): h
            for hh, p, h in HouseholdPeriod.objects.filter(commune_id=commune_id).values_list(
                "household_id", "period", "hamlet_id"
            )
        },
        "hamlets": {
            (h, p): (n, r, c)
            for h, p, n, r, c in HamletPeriod.objects.filter(commune_id=commune_id).values_list(
                "hamlet_id", "period", "households_reached", "residents_reached", "contacts"
            )
            if n or r or c
        },
        "coverage": {
            (h, p): n
            for h, p, n in CoveragePeriod.objects.filter(commune_id=commune_id).values_list(
                "hamlet_id", "period", "broadcasts"
            )
            if n
        },
        "channels": {
            (p, ch): (n, a, pe)
            for p, ch, n, a, pe in ChannelPeriod.objects.filter(commune_id=commune_id).values_list(
                "period", "channel", "contacts", "attributable", "people"
            )
            if n or a or pe
        },
    }
