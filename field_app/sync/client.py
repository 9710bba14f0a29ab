"""The tablet's sync: enrol once, then ``SyncClient(...).sync()`` every evening at the station.

    enrolment = enrol(transport, code, password, "潭头村平板1")   # before a store exists
    client = SyncClient(transport, store, token=enrolment.token, clock=clock, progress=show)
    report = client.sync()

One sync, in this order:

1. **photos** — each photo the server lacks, resumably: ``HEAD`` says how many bytes the server
   holds, ``PUT`` sends the rest in chunks with ``Content-Range``; marked uploaded when whole.
2. **push** — the outbox from its oldest pending mutation, in batches. Exactly the mutations
   the server answered for are acknowledged, whatever the outcome (a rejected or deferred
   mutation is kept by the server, which will judge it again or show it to a supervisor);
   their results are saved in the same transaction (setting ``sync.last_results``), so a
   result is never lost even if the answer to the next batch is.
3. **pull** — pages after the stored checkpoint until ``more`` is false. Each page and the
   checkpoint after it are stored in one transaction; the checkpoint moves only while the
   outbox is empty (a value hidden behind a pending local edit must not count as seen —
   ARCHITECTURE.md §2) and never goes back. If the worker saved a change during the sync, the
   client pushes and pulls once more (up to ``max_rounds``) rather than leave the checkpoint
   behind.
4. **forms** — every published form version the store does not hold, checked against its
   SHA-256.

A network cut anywhere raises :class:`~field_app.sync.errors.TransportError` carrying the
partial report; nothing acknowledged, stored or uploaded is undone, and ``sync()`` again
resumes where it stopped: photos from the server's offset, the outbox from what was not
acknowledged, the pull from the stored checkpoint. Every request is safe to repeat (push is
idempotent by ``(device_id, device_seq)``). A revoked tablet raises
:class:`~field_app.sync.errors.DeviceRevoked` (``wipe`` is true).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from field_app.core.errors import BianfangError, FormDefinitionError
from field_app.core.forms import parse_form
from field_app.core.i18n import Message
from field_app.core.i18n.fields import FIELD_LABELS
from field_app.core.sync.mutation import Mutation, MutationOp
from field_app.store.clock import DeviceClock
from field_app.store.store import EncryptedStore
from field_app.sync.api import FormListing, OffsetMismatch, SyncApi
from field_app.sync.apply import apply_changes
from field_app.sync.errors import SyncError
from field_app.sync.report import ItemResult, Notice, SyncReport
from field_app.sync.transport import DEFAULT_TIMEOUT, Timeout, Transport

# (phase, done items, total items, done bytes, total bytes); a total is None when not known
# in advance (the pull: the server says only whether more pages follow).
Progress = Callable[[str, int, int | None, int, int | None], None]

PHASE_PHOTOS = "photos"
PHASE_PUSH = "push"
PHASE_PULL = "pull"
PHASE_FORMS = "forms"
PHASES = (PHASE_PHOTOS, PHASE_PUSH, PHASE_PULL, PHASE_FORMS)

MAX_PUSH_BATCH = 500  # the server's limit per request
CHUNK_SIZE = 256 * 1024
PULL_LIMIT = 500
# Settings the client keeps in the store (sealed like everything else).
RESULTS_SETTING = "sync.last_results"
REPORT_SETTING = "sync.last_report"
KEEP_RESULTS = 5000  # results kept for the app: the newest, since the last completed sync

# A photo upload gives up for this sync after so many offset corrections in a row (a server
# that keeps moving the offset is not converging); the photo stays waiting.
_MAX_OFFSET_RETRIES = 5
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Refusals of a push that a smaller batch avoids.
_TOO_LARGE = frozenset({"request.too_large", "sync.batch_too_large"})


@dataclass(frozen=True)
class Enrolment:
    device_id: str
    token: str
    user: dict[str, Any] = field(default_factory=dict)
    server_time: str | None = None


def enrol(
    transport: Transport, code: str, password: str, device_name: str, *, timeout: Timeout = DEFAULT_TIMEOUT
) -> Enrolment:
    """Enrol this tablet with a one-time code and the user's password. Refusals are
    ``SyncError``s with the server's code (``enrol.code_used``, ``auth.bad_credentials``...)."""
    answer = SyncApi(transport, timeout=timeout).enrol(code, password, device_name)
    user = answer.get("user")
    server_time = answer.get("server_time")
    return Enrolment(
        device_id=answer["device_id"],
        token=answer["token"],
        user=dict(user) if isinstance(user, dict) else {},
        server_time=server_time if isinstance(server_time, str) else None,
    )


def last_report(store: EncryptedStore) -> SyncReport | None:
    """The report of the last sync (completed or interrupted), as the app shows it."""
    saved = store.setting(REPORT_SETTING)
    return SyncReport.from_json(saved) if saved else None


def last_results(store: EncryptedStore) -> list[ItemResult]:
    """The server's answers for the changes sent since the last completed sync began."""
    return [ItemResult.from_json(item) for item in store.setting(RESULTS_SETTING, []) or []]


def _explained(result: ItemResult, mutation: Mutation) -> ItemResult:
    """The result with a reason a worker can read: the server gives none with a conflict (the
    conflict queue says the rest), so say which of the fields sent are in dispute."""
    if result.outcome != "conflict" or result.reason_zh:
        return result
    if mutation.op is MutationOp.DELETE:
        message = Message("sync.client.conflict_delete")
    else:
        names = [name for name in mutation.fields if name != "id"]
        labels = [FIELD_LABELS.get(name, (name, name)) for name in names]
        message = Message("sync.client.conflict_fields", {"fields": "、".join(zh for zh, _ in labels),
                                                          "fields_en": ", ".join(en for _, en in labels)})
    return replace(result, reason_code=message.code, reason_zh=message.text("zh"), reason_en=message.text("en"))


def _photo_left_waiting(report: SyncReport, sha256: str) -> bool:
    """The photo stays waiting for the next sync; the report says so."""
    report.notices.append(Notice.of(Message("sync.client.photo_mismatch", {"photo": sha256[:12]})))
    return False


class SyncClient:
    def __init__(
        self,
        transport: Transport,
        store: EncryptedStore,
        *,
        token: str,
        clock: DeviceClock,
        progress: Progress | None = None,
        push_batch: int = MAX_PUSH_BATCH,
        pull_limit: int = PULL_LIMIT,
        chunk_size: int = CHUNK_SIZE,
        max_rounds: int = 3,
        timeout: Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if not 1 <= push_batch <= MAX_PUSH_BATCH:
            raise ValueError(f"push_batch must be between 1 and {MAX_PUSH_BATCH}")
        if chunk_size < 1 or pull_limit < 1 or max_rounds < 1:
            raise ValueError("chunk_size, pull_limit and max_rounds must be positive")
        self.store = store
        self.clock = clock
        self.api = SyncApi(transport, token=token, timeout=timeout)
        self.progress = progress
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.chunk_size = chunk_size
        self.max_rounds = max_rounds
        self._kept_results: list[ItemResult] = []

    # -- the whole sync ----------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Photos, push, pull, forms. Raises ``SyncError`` (``TransportError`` for a network
        cut, ``DeviceRevoked`` for a revoked tablet) with the partial report in ``.report``."""
        started_ns = self.clock.monotonic_ns()
        previous = last_report(self.store)
        report = SyncReport(
            started_ms=self.clock.wall_ms(),
            last_success_ms=previous.last_success_ms if previous else None,
        )
        # Results since the last completed sync: an interrupted one's answers stay listed.
        self._kept_results = last_results(self.store) if previous and previous.interrupted else []
        sent_before, received_before = self.api.bytes_sent, self.api.bytes_received
        try:
            self._upload_photos(report)
            for _ in range(self.max_rounds):
                self._push(report)
                if not self._pull(report):
                    break
            self._download_forms(report)
        except Exception as error:
            report.interrupted = True
            if isinstance(error, BianfangError):
                report.error_code = error.code
                report.error_zh, report.error_en = error.message("zh"), error.message("en")
            self._finish(report, started_ns, sent_before, received_before)
            if isinstance(error, SyncError):
                error.report = report
            raise
        report.last_success_ms = report.started_ms
        self._finish(report, started_ns, sent_before, received_before)
        return report

    def _finish(self, report: SyncReport, started_ns: int, sent_before: int, received_before: int) -> None:
        report.finished_ms = self.clock.wall_ms()
        report.duration_s = max(0, self.clock.monotonic_ns() - started_ns) / 1e9
        report.bytes_sent = self.api.bytes_sent - sent_before
        report.bytes_received = self.api.bytes_received - received_before
        if self.store.is_open:
            report.checkpoint = self.store.checkpoint()
            self.store.set_setting(REPORT_SETTING, report.to_json())

    def _tell(self, phase: str, done: int, total: int | None, done_bytes: int, total_bytes: int | None) -> None:
        if self.progress is not None:
            self.progress(phase, done, total, done_bytes, total_bytes)

    # -- 1. photos ---------------------------------------------------------------------------

    def _upload_photos(self, report: SyncReport) -> None:
        waiting = self.store.photos_waiting_for_upload()
        if not waiting:
            return
        sizes = {sha256: len(self.store.get_photo(sha256)) for sha256 in waiting}
        total_bytes = sum(sizes.values())
        done_bytes = 0  # bytes of the photos dealt with, whether sent now or held already
        self._tell(PHASE_PHOTOS, 0, len(waiting), 0, total_bytes)
        for index, sha256 in enumerate(waiting):
            content = self.store.get_photo(sha256)

            def sent(held: int, index: int = index, base: int = done_bytes) -> None:
                self._tell(PHASE_PHOTOS, index, len(waiting), base + held, total_bytes)

            uploaded = self._upload_photo(sha256, content, report, sent)
            if uploaded:
                self.store.mark_photo_uploaded(sha256)
                report.photos_uploaded += 1
            done_bytes += len(content)
            self._tell(PHASE_PHOTOS, index + 1, len(waiting), done_bytes, total_bytes)

    def _upload_photo(
        self, sha256: str, content: bytes, report: SyncReport, sent: Callable[[int], None]
    ) -> bool:
        """Send what the server lacks of one photo; True once the server holds all of it."""
        total = len(content)
        status = self.api.photo_status(sha256)
        if status is not None and status.complete:
            return True
        offset = status.offset if status is not None and status.offset <= total else 0
        sent(offset)
        corrections = 0
        while True:
            chunk = content[offset : offset + self.chunk_size]
            try:
                answer = self.api.put_photo_chunk(sha256, chunk, offset, total)
            except OffsetMismatch as mismatch:
                corrections += 1
                if corrections > _MAX_OFFSET_RETRIES:
                    return _photo_left_waiting(report, sha256)
                offset = mismatch.offset if 0 <= mismatch.offset <= total else 0
                continue
            except SyncError as error:
                if error.status == 422:  # photo.hash_mismatch: the server refused the assembled bytes
                    return _photo_left_waiting(report, sha256)
                raise
            report.photo_bytes += len(chunk)
            if answer.complete or not chunk:  # (an empty photo: the one PUT is all there is)
                sent(total)
                return answer.complete
            if min(answer.offset, total) <= offset:  # no progress: the server kept nothing
                corrections += 1
                if corrections > _MAX_OFFSET_RETRIES:
                    return _photo_left_waiting(report, sha256)
            offset = min(answer.offset, total)
            sent(offset)

    # -- 2. push -----------------------------------------------------------------------------

    def _push(self, report: SyncReport) -> None:
        pending = self.store.pending_mutations()
        if not pending:
            return
        total = len(pending)
        done = 0
        batch_size = self.push_batch
        bytes_before = self.api.bytes_sent
        self._tell(PHASE_PUSH, 0, total, 0, None)
        while pending:
            batch = pending[:batch_size]
            try:
                answer = self.api.push(batch, self._device_headers())
            except SyncError as error:
                if error.code in _TOO_LARGE and batch_size > 1:
                    batch_size = max(1, batch_size // 2)
                    continue
                raise
            answered = self._acknowledge(batch, answer.results, report)
            if not answered:
                raise SyncError("sync.client.bad_response", what="push: no result for the mutations sent")
            if answer.server_hlc:
                self.store.observe_remote_clock(answer.server_hlc)
            pending = [mutation for mutation in pending if mutation.device_seq not in answered]
            done += len(answered)
            self._tell(PHASE_PUSH, done, total, self.api.bytes_sent - bytes_before, None)

    def _acknowledge(self, batch: Sequence[Mutation], results: Sequence[ItemResult], report: SyncReport) -> set[int]:
        """Acknowledge the mutations of ``batch`` the server answered for, and keep their
        results, in one transaction. Returns their device seqs."""
        sent = {mutation.device_seq for mutation in batch}
        if len(results) == len(batch):
            # One result per mutation, in the order sent: a result the server could not tie to
            # a device_seq (a mutation it found malformed) is the mutation at its position.
            results = [
                replace(result, device_seq=mutation.device_seq) if result.device_seq < 0 else result
                for result, mutation in zip(results, batch, strict=True)
            ]
        mine = {result.device_seq: result for result in results if result.device_seq in sent}
        if not mine:
            return set()
        by_seq = {mutation.device_seq: mutation for mutation in batch}
        ordered = [_explained(mine[seq], by_seq[seq]) for seq in sorted(mine)]
        kept = (self._kept_results + report.results + ordered)[-KEEP_RESULTS:]
        with self.store.batch():
            self.store.acknowledge(mine.keys())
            self.store.set_setting(RESULTS_SETTING, [result.to_json() for result in kept])
        report.results.extend(ordered)
        return set(mine)

    def _device_headers(self) -> dict[str, str]:
        return {
            "X-Device-Wall-Time": str(self.clock.wall_ms()),
            "X-Device-Monotonic-Ns": str(self.clock.monotonic_ns()),
            "X-Device-Boot-Id": self.clock.boot_id(),
        }

    # -- 3. pull -----------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> bool:
        """Pull every page after the stored checkpoint. True when the checkpoint had to stay
        behind because local changes appeared meanwhile (push and pull again)."""
        stored = self.store.checkpoint() or 0
        after = stored
        held = False
        bytes_before = self.api.bytes_received
        while True:
            page = self.api.pull(after, self.pull_limit)
            with self.store.batch():
                applied = apply_changes(self.store, page.changes)
                if page.next_checkpoint > stored and not held:
                    if self.store.pending_mutations(limit=1):
                        held = True
                    else:
                        self.store.set_checkpoint(page.next_checkpoint)
                        stored = page.next_checkpoint
            if page.server_hlc:
                self.store.observe_remote_clock(page.server_hlc)
            report.pulled += applied.loaded
            report.removed += applied.removed
            report.notices.extend(Notice.of(message) for message in applied.notices)
            self._tell(PHASE_PULL, report.pulled + report.removed, None, self.api.bytes_received - bytes_before, None)
            if not page.more:
                break
            if page.next_checkpoint <= after:
                raise SyncError("sync.client.bad_response", what="pull: more pages but no progress")
            after = page.next_checkpoint
        report.checkpoint_held = held
        return held

    # -- 4. forms ----------------------------------------------------------------------------

    def _download_forms(self, report: SyncReport) -> None:
        held = set(self.store.list_forms())
        missing = [listing for listing in self.api.forms() if (listing.id, listing.version) not in held]
        if not missing:
            return
        total_bytes = sum(listing.size or 0 for listing in missing) or None
        done_bytes = 0
        self._tell(PHASE_FORMS, 0, len(missing), 0, total_bytes)
        for index, listing in enumerate(missing):
            response = self.api.form_file(listing)
            definition = self._form_definition(listing, response.body, report)
            if definition is not None:
                self.store.save_form(listing.id, listing.version, definition)
                report.forms_downloaded.append((listing.id, listing.version))
            done_bytes += len(response.body)
            self._tell(PHASE_FORMS, index + 1, len(missing), done_bytes, total_bytes)

    @staticmethod
    def _form_definition(listing: FormListing, body: bytes, report: SyncReport) -> dict[str, Any] | None:
        """The form as published (parsed data), once its hash and definition check out."""

        def unusable(reason: str) -> None:
            message = Message("sync.client.form_unusable", {"form": listing.id, "version": listing.version,
                                                            "reason": reason})
            report.notices.append(Notice.of(message))

        if listing.sha256 and hashlib.sha256(body).hexdigest() != listing.sha256:
            unusable("SHA-256")
            return None
        try:
            text = body.decode("utf-8")
            # The server read the file with the forms loader's strict rules before publishing it
            # and the hash says this is that file: a plain safe load (libyaml's when present) is
            # enough here, and the definition is still checked by compiling it.
            data = json.loads(text) if "json" in listing.media_type else yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506
            form = parse_form(data, source=f"{listing.id}@{listing.version}")
        except FormDefinitionError as error:
            unusable(error.message("zh"))
            return None
        except (UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
            unusable(type(error).__name__)
            return None
        if form.key != (listing.id, listing.version):
            unusable(f"{form.id}@{form.version}")
            return None
        return data


__all__ = [
    "PHASES",
    "PHASE_FORMS",
    "PHASE_PHOTOS",
    "PHASE_PULL",
    "PHASE_PUSH",
    "REPORT_SETTING",
    "RESULTS_SETTING",
    "Enrolment",
    "Progress",
    "SyncClient",
    "enrol",
    "last_report",
    "last_results",
]
