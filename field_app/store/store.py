"""``EncryptedStore``: the field app's one door to the data on the tablet.

One store per enrolled user: a folder holding one SQLite file. Everything personal is sealed
with the user's data key before it is written (see ``records.py``, ``drafts.py``,
``photos.py``, ``documents.py``, ``outbox.py``); the key itself is unlocked elsewhere
(``keys.py``) and handed in.

The local view is the last server state with the pending local changes on top. Every local
change writes the new view and its outbox mutation in one transaction, so a crash keeps both
or neither. Reads of households and members come from a cache decrypted once at unlock
(``cache.py``); other kinds are decrypted when read.

Damaged records: ``get`` of a record whose blob does not open raises ``store.tampered`` naming
it; ``list`` and ``search`` skip it and report it in :meth:`EncryptedStore.damaged`, so one bad
row does not hide the rest of the village. A damaged outbox mutation always raises: skipping
it would drop a worker's change silently.

Thread safety: every public method holds one re-entrant lock (UI callbacks may come from
worker threads); one process opens a store at a time.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from field_app.core.errors import StoreError, ValidationError
from field_app.core.models import Record, parse_record
from field_app.core.sync.hlc import HlcTimestamp, receive, tick
from field_app.core.sync.mutation import (
    EntityKind,
    FieldChange,
    Mutation,
    MutationOp,
    apply_fields,
    creation_fields,
    diff_fields,
)
from field_app.core.validation import clean_id_text
from field_app.store import (
    blind_index,
    cache,
    canary,
    documents,
    drafts,
    meta,
    outbox,
    photos,
    records,
)
from field_app.store.clock import DeviceClock
from field_app.store.crypto import DataKey
from field_app.store.database import Database, connect
from field_app.store.drafts import Draft
from field_app.store.kinds import HOUSEHOLD_NUMBER, ID_NUMBER, KINDS, KindSpec, kind_of, spec_for
from field_app.store.migrations import migrate
from field_app.store.records import SAME_AS_BASE, Entry, record_name
from field_app.store.sealing import Sealer
from field_app.store.search import DEFAULT_LIMIT, PinyinReadings, SearchHit, search_registry
from field_app.store.sequence import DEFAULT_BLOCK, DeviceSequence, SequenceSidecar

DATABASE_FILE = "bianfang.db"

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _serialised(
    method: Callable[Concatenate[EncryptedStore, _P], _T],
) -> Callable[Concatenate[EncryptedStore, _P], _T]:
    @functools.wraps(method)
    def locked(self: EncryptedStore, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with self._lock:
            if self._db is None:
                raise StoreError("store.closed")
            return method(self, *args, **kwargs)

    return locked


class EncryptedStore:
    """Open with :meth:`open`; close (or use as a context manager) to lock."""

    def __init__(
        self,
        folder: Path,
        db: Database,
        sealer: Sealer,
        *,
        device_id: str,
        clock: DeviceClock,
        sequence: DeviceSequence,
    ) -> None:
        self.folder = folder
        self.device_id = device_id
        self._db: Database | None = db
        self._sealer = sealer
        self._clock = clock
        self._sequence = sequence
        self._lock = threading.RLock()
        self._readings = PinyinReadings()
        sequence.resume(db.conn)
        self._pending = outbox.pending_entities(db.conn)
        self._cache, self._damaged = cache.build(db.conn, sealer)

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path | str,
        data_key: DataKey,
        *,
        device_id: str,
        clock: DeviceClock,
        sequence_folder: Path | str,
        sequence_block: int = DEFAULT_BLOCK,
    ) -> EncryptedStore:
        """Open (creating if new) the store in ``folder`` with the unlocked ``data_key``.

        ``sequence_folder`` holds the device-sequence high-water mark; it must be outside
        ``folder`` (a backup of the store must not bring it back) and shared by the stores of
        all users of the device. Refuses another device's store (``store.other_device``),
        another key (``store.wrong_key``), a file made by a newer app (``store.newer_schema``).
        """
        if not device_id:
            raise ValueError("a device id is required")
        folder, sequence_folder = Path(folder), Path(sequence_folder)
        if sequence_folder.resolve().is_relative_to(folder.resolve()):
            raise ValueError("the sequence folder must be outside the store folder (a backup must not carry it)")
        folder.mkdir(parents=True, exist_ok=True)
        conn = connect(folder / DATABASE_FILE)
        try:
            migrate(conn)
            db = Database(conn)
            with db.transaction():
                if not canary.is_initialised(conn):
                    canary.initialise(conn, data_key, device_id)
            canary.verify(conn, data_key, device_id)
            sequence = DeviceSequence(SequenceSidecar(sequence_folder, device_id), sequence_block)
            return cls(folder, db, data_key, device_id=device_id, clock=clock, sequence=sequence)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
                # Drop what was decrypted along with the key: records, and names' pinyin.
                self._cache = cache.RegistryCache()
                self._readings = PinyinReadings()

    @property
    def is_open(self) -> bool:
        return self._db is not None

    def __enter__(self) -> EncryptedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _conn(self) -> Any:
        assert self._db is not None
        return self._db.conn

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several saves in one transaction: all of them are kept, or none."""
        with self._lock:
            if self._db is None:
                raise StoreError("store.closed")
            with self._db.transaction():
                yield

    # -- reading records -------------------------------------------------------------------

    @_serialised
    def get(self, kind: EntityKind | str, record_id: str) -> Entry:
        """The record's local view and whether local changes to it wait to sync.
        Raises ``store.not_found`` (also for a deleted record) or ``store.tampered``."""
        spec = spec_for(kind)
        return Entry(self._view(spec, record_id), (spec.kind, record_id) in self._pending)

    @_serialised
    def list(self, kind: EntityKind | str, **filters: str) -> list[Entry]:
        """Records of ``kind`` (not deleted), filtered on ids kept in clear: ``household_id``
        (members, visits, problems), ``problem_id`` (problem events), ``village_code``
        (households, visits, problems; kept as a keyed token). Damaged records are skipped
        and reported in :meth:`damaged`."""
        spec = spec_for(kind)
        unknown = filters.keys() - spec.filters
        if unknown:
            raise ValueError(
                f"cannot filter {spec.kind} records on {sorted(unknown)}; only on {sorted(spec.filters)}"
            )
        if spec.cached and spec.parent_field in filters:
            found: Iterable[Record] = self._cache.children(spec.kind, filters[spec.parent_field])
        elif spec.cached:
            found = self._cache.of_kind(spec.kind).values()
        else:
            found = self._decode_rows(spec, filters)
        return [
            Entry(record, (spec.kind, record.id) in self._pending)  # type: ignore[attr-defined]
            for record in found
            if all(getattr(record, name) == value for name, value in filters.items())
        ]

    def damaged(self) -> list[StoreError]:
        """Records found damaged so far (at unlock, or since while reading), one error each."""
        with self._lock:
            return list(self._damaged.values())

    def _view(self, spec: KindSpec, record_id: str) -> Record:
        name = record_name(spec.kind, record_id)
        if spec.cached:
            found = self._cache.get(spec.kind, record_id)
            if found is None and name in self._damaged:
                raise self._damaged[name]
        else:
            row = records.read_row(self._conn, spec.kind, record_id)
            found = None if row is None else self._decode(spec, row)
        if found is None:
            raise StoreError("store.not_found", record=name)
        return found

    def _decode(self, spec: KindSpec, row: records.RecordRow) -> Record | None:
        try:
            return records.decode_view(row, self._sealer, spec)
        except StoreError as error:
            self._damaged[row.name] = error
            raise

    def _decode_rows(self, spec: KindSpec, filters: Mapping[str, str]) -> Iterator[Record]:
        village = filters.get(spec.village_field) if spec.village_field else None
        rows = records.select_rows(
            self._conn,
            spec.kind,
            parent_id=filters.get(spec.parent_field) if spec.parent_field else None,
            village_token=records.village_token(self._sealer, village) if village else None,
        )
        for row in rows:
            try:
                record = self._decode(spec, row)
            except StoreError:
                continue
            if record is not None:
                yield record

    # -- local changes ---------------------------------------------------------------------

    @_serialised
    def create(self, record: Record, *, discard_draft: str | None = None) -> Mutation:
        """Save a new record and its ``create`` (or, for visits and problem events, ``append``)
        mutation; with ``discard_draft``, drop the draft it came from in the same transaction,
        so a crash cannot leave both a saved visit and its draft to submit again."""
        spec = KINDS[kind_of(record)]
        record_id: str = record.id  # type: ignore[attr-defined]
        op = MutationOp.APPEND if spec.append_only else MutationOp.CREATE
        assert self._db is not None
        with self._db.transaction() as conn:
            if records.read_row(conn, spec.kind, record_id) is not None:
                raise StoreError("store.already_exists", record=record_name(spec.kind, record_id))
            records.save_local(conn, self._sealer, spec, record_id, record, current=None)
            mutation = self._record_mutation(
                conn, spec, record_id, op, creation_fields(record.model_dump(mode="json"))
            )
            if discard_draft is not None:
                drafts.discard(conn, discard_draft)
            self._after_local_change(spec, record_id, record)
        return mutation

    @_serialised
    def edit(self, kind: EntityKind | str, record_id: str, changes: Mapping[str, Any]) -> Mutation | None:
        """Change fields of a record. The mutation's base values are what the local view
        showed; validation errors raise before anything is written; no change, no mutation."""
        spec = self._changeable(kind)
        if changes.get("id", record_id) != record_id:
            raise ValueError("a record's id cannot change")
        assert self._db is not None
        with self._db.transaction() as conn:
            current = self._view(spec, record_id)
            seen = current.model_dump(mode="json")
            updated = parse_record(spec.model, {**seen, **changes}, today=self._today())
            fields = diff_fields(seen, updated.model_dump(mode="json"))
            if not fields:
                return None
            records.save_local(conn, self._sealer, spec, record_id, updated)
            mutation = self._record_mutation(conn, spec, record_id, MutationOp.UPDATE, fields)
            self._after_local_change(spec, record_id, updated)
        return mutation

    @_serialised
    def delete(self, kind: EntityKind | str, record_id: str) -> Mutation:
        """Mark a record deleted (a sealed tombstone; the server decides on its delete)."""
        spec = self._changeable(kind)
        assert self._db is not None
        with self._db.transaction() as conn:
            self._view(spec, record_id)  # must exist and open
            records.save_local(conn, self._sealer, spec, record_id, None)
            mutation = self._record_mutation(conn, spec, record_id, MutationOp.DELETE, {})
            self._after_local_change(spec, record_id, None)
        return mutation

    def _changeable(self, kind: EntityKind | str) -> KindSpec:
        spec = spec_for(kind)
        if spec.append_only:
            raise StoreError("store.append_only", kind=spec.label[0], kind_en=spec.label[1])
        return spec

    def _record_mutation(
        self, conn: Any, spec: KindSpec, record_id: str, op: MutationOp, fields: dict[str, FieldChange]
    ) -> Mutation:
        device_seq = self._sequence.allocate(conn)
        wall_ms = self._clock.wall_ms()
        stamp = tick(self._last_hlc(conn), now_ms=wall_ms, node=self.device_id)
        meta.write(conn, meta.LAST_HLC, str(stamp))
        mutation = Mutation(
            device_id=self.device_id,
            device_seq=device_seq,
            entity=spec.kind,
            entity_id=record_id,
            op=op,
            fields=fields,
            checkpoint=meta.read(conn, meta.CHECKPOINT),
            hlc=str(stamp),
            wall_time=wall_ms,
            monotonic_ns=self._clock.monotonic_ns(),
            boot_id=self._clock.boot_id(),
        )
        outbox.append(conn, self._sealer, mutation)
        return mutation

    def _after_local_change(self, spec: KindSpec, record_id: str, view: Record | None) -> None:
        def refresh() -> None:
            self._pending.add((spec.kind, record_id))
            self._remember(spec, record_id, view)

        assert self._db is not None
        self._db.after_commit(refresh)

    def _remember(self, spec: KindSpec, record_id: str, view: Record | None) -> None:
        self._damaged.pop(record_name(spec.kind, record_id), None)  # rewritten: no longer damaged
        if spec.cached:
            self._cache.put(spec.kind, record_id, view)

    def _today(self) -> date:
        return date.fromtimestamp(self._clock.wall_ms() / 1000)

    @staticmethod
    def _last_hlc(conn: Any) -> HlcTimestamp | None:
        text = meta.read(conn, meta.LAST_HLC)
        return HlcTimestamp.parse(text) if text else None

    # -- search ----------------------------------------------------------------------------

    @_serialised
    def search(self, query: str, *, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        """Households by name (characters, full pinyin, initials, or a mix), household number
        (exact, or 3+ digits of it), or ID number (exact only)."""
        return search_registry(
            query,
            households=self._cache.of_kind(EntityKind.HOUSEHOLD),  # type: ignore[arg-type]
            members=self._cache.of_kind(EntityKind.MEMBER).values(),  # type: ignore[arg-type]
            readings=self._readings,
            lookup=self._lookup_ids,
            limit=limit,
        )

    @_serialised
    def find_members_by_id_number(self, id_number: str) -> list[Entry]:
        ids = self._lookup_ids(ID_NUMBER, clean_id_text(id_number))
        return [
            self.get(EntityKind.MEMBER, record_id)
            for record_id in ids
            if self._cached(EntityKind.MEMBER, record_id)
        ]

    @_serialised
    def find_households_by_number(self, number: str) -> list[Entry]:
        ids = self._lookup_ids(HOUSEHOLD_NUMBER, number.strip())
        return [
            self.get(EntityKind.HOUSEHOLD, record_id)
            for record_id in ids
            if self._cached(EntityKind.HOUSEHOLD, record_id)
        ]

    def _cached(self, kind: EntityKind, record_id: str) -> bool:
        return self._cache.get(kind, record_id) is not None

    def _lookup_ids(self, purpose: str, value: str) -> list[str]:
        token = self._sealer.index_token(purpose, value)
        return [record_id for _, record_id in blind_index.lookup(self._conn, purpose, token)]

    # -- sync bookkeeping ------------------------------------------------------------------

    @_serialised
    def pending_mutations(self, *, limit: int | None = None) -> list[Mutation]:
        """Mutations not yet acknowledged, in device-sequence order (raises on a damaged one)."""
        return outbox.pending(self._conn, self._sealer, self.device_id, limit=limit)

    @_serialised
    def acknowledge(self, device_seqs: Iterable[int]) -> None:
        """The server has answered for these mutations."""
        assert self._db is not None
        with self._db.transaction() as conn:
            outbox.acknowledge(conn, device_seqs)
            still_pending = outbox.pending_entities(conn)
            self._db.after_commit(lambda: setattr(self, "_pending", still_pending))

    @_serialised
    def load_server_records(self, items: Iterable[tuple[Record, int]]) -> None:
        """Make each (record, server version) the new base, in one transaction, re-applying
        the record's pending local mutations on top of it (the pull's job)."""
        assert self._db is not None
        with self._db.transaction() as conn:
            for record, version in items:
                spec = KINDS[kind_of(record)]
                record_id: str = record.id  # type: ignore[attr-defined]
                if (spec.kind, record_id) in self._pending:
                    view = self._reapply_pending(conn, spec, record)
                    records.save_pulled(conn, self._sealer, spec, record, version, view)
                else:
                    view = record
                    records.save_pulled(conn, self._sealer, spec, record, version, SAME_AS_BASE)
                self._db.after_commit(functools.partial(self._remember, spec, record_id, view))

    @_serialised
    def drop_server_record(self, kind: str, record_id: str, last_state: Record | None, version: int) -> bool:
        """The server deleted the record, or it left this user's scope: the local view becomes
        a tombstone, the server's last state (when sent) kept as base. A record with pending
        local changes keeps its view: the server will judge those changes. Returns whether the
        view was dropped."""
        spec = KINDS[kind]
        assert self._db is not None
        with self._db.transaction() as conn:
            if (spec.kind, record_id) in self._pending:
                if last_state is not None:
                    self.load_server_records([(last_state, version)])
                return False
            if last_state is not None:
                records.save_pulled(conn, self._sealer, spec, last_state, version, None)
            elif records.read_row(conn, spec.kind, record_id) is not None:
                records.save_local(conn, self._sealer, spec, record_id, None)
            else:
                return False
            self._db.after_commit(functools.partial(self._remember, spec, record_id, None))
        return True

    def _reapply_pending(self, conn: Any, spec: KindSpec, record: Record) -> Record | None:
        values = record.model_dump(mode="json")
        deleted = False
        for mutation in outbox.pending_for(conn, self._sealer, self.device_id, spec.kind, record.id):  # type: ignore[attr-defined]
            if mutation.op is MutationOp.DELETE:
                deleted = True
            else:
                values, deleted = apply_fields(values, mutation.fields), False
        if deleted:
            return None
        try:
            return parse_record(spec.model, values, today=date.max)
        except ValidationError:
            # The server state and the local change no longer fit together; the server will
            # judge the pending mutation. Meanwhile show the server's state.
            return record

    @_serialised
    def checkpoint(self) -> int | None:
        """The last server checkpoint pulled (None before the first pull)."""
        return meta.read(self._conn, meta.CHECKPOINT)

    @_serialised
    def set_checkpoint(self, checkpoint: int) -> None:
        assert self._db is not None
        with self._db.transaction() as conn:
            meta.write(conn, meta.CHECKPOINT, int(checkpoint))

    @_serialised
    def observe_remote_clock(self, hlc: str) -> None:
        """Move the device's clock past a timestamp seen from the server, so the next local
        changes are ordered after what was pulled."""
        assert self._db is not None
        with self._db.transaction() as conn:
            stamp = receive(
                self._last_hlc(conn),
                HlcTimestamp.parse(hlc),
                now_ms=self._clock.wall_ms(),
                node=self.device_id,
            )
            meta.write(conn, meta.LAST_HLC, str(stamp))

    # -- drafts ----------------------------------------------------------------------------

    @_serialised
    def save_draft(self, draft_id: str, meta: Mapping[str, Any], answers: Mapping[str, Any]) -> int:
        """Save the whole draft atomically (call on every answer); returns its revision."""
        assert self._db is not None
        with self._db.transaction() as conn:
            return drafts.save(conn, self._sealer, draft_id, meta, answers, saved_ms=self._clock.wall_ms())

    @_serialised
    def load_draft(self, draft_id: str) -> Draft | None:
        return drafts.load(self._conn, self._sealer, draft_id)

    @_serialised
    def list_drafts(self) -> list[Draft]:
        """Every draft; damaged ones are skipped and reported in :meth:`damaged`."""
        found, damaged = drafts.load_all(self._conn, self._sealer)
        self._damaged.update((str(error.params.get("record")), error) for error in damaged)
        return found

    @_serialised
    def discard_draft(self, draft_id: str) -> None:
        assert self._db is not None
        with self._db.transaction() as conn:
            drafts.discard(conn, draft_id)

    # -- photos ----------------------------------------------------------------------------

    @_serialised
    def put_photo(self, content: bytes, *, media_type: str = "image/jpeg") -> str:
        """Store a photo (once, whatever how often it is put); returns its SHA-256 for the PhotoRef."""
        assert self._db is not None
        with self._db.transaction() as conn:
            return photos.put(conn, self._sealer, content, media_type=media_type)

    @_serialised
    def get_photo(self, sha256: str) -> bytes:
        return photos.get(self._conn, self._sealer, sha256)

    @_serialised
    def has_photo(self, sha256: str) -> bool:
        return photos.exists(self._conn, self._sealer, sha256)

    @_serialised
    def photos_waiting_for_upload(self) -> list[str]:
        return photos.waiting_for_upload(self._conn, self._sealer)

    @_serialised
    def mark_photo_uploaded(self, sha256: str) -> None:
        assert self._db is not None
        with self._db.transaction() as conn:
            photos.mark_uploaded(conn, self._sealer, sha256)

    # -- form definitions and settings -----------------------------------------------------

    @_serialised
    def save_form(self, form_id: str, version: int, definition: Mapping[str, Any]) -> None:
        """Keep a downloaded form definition (every version: visits name the one they used)."""
        value = {"form_id": form_id, "version": version, "definition": dict(definition)}
        assert self._db is not None
        with self._db.transaction() as conn:
            documents.put(conn, self._sealer, documents.FORMS, f"{form_id}@{version}", value)

    @_serialised
    def form(self, form_id: str, version: int | None = None) -> dict[str, Any] | None:
        """A form definition; the latest version kept when ``version`` is None."""
        if version is not None:
            found = documents.get(self._conn, self._sealer, documents.FORMS, f"{form_id}@{version}")
            return None if found is None else found["definition"]
        versions = [
            value
            for value in documents.all_in(self._conn, self._sealer, documents.FORMS).values()
            if value["form_id"] == form_id
        ]
        return max(versions, key=lambda value: value["version"])["definition"] if versions else None

    @_serialised
    def list_forms(self) -> list[tuple[str, int]]:
        """(form id, version) of every form definition kept."""
        values = documents.all_in(self._conn, self._sealer, documents.FORMS).values()
        return sorted((value["form_id"], value["version"]) for value in values)

    @_serialised
    def set_setting(self, name: str, value: Any) -> None:
        assert self._db is not None
        with self._db.transaction() as conn:
            documents.put(conn, self._sealer, documents.SETTINGS, name, value)

    @_serialised
    def setting(self, name: str, default: Any = None) -> Any:
        return documents.get(self._conn, self._sealer, documents.SETTINGS, name, default)


__all__ = ["DATABASE_FILE", "EncryptedStore", "Entry"]
