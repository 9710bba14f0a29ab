"""The tablet's sync client: enrolment, and the nightly sync with the township station's server.

    from field_app.sync import RequestsTransport, SyncClient, enrol

See :mod:`field_app.sync.client` for what one sync does and how it resumes after a cut.
"""

from field_app.sync.client import (
    PHASES,
    Enrolment,
    Progress,
    SyncClient,
    enrol,
    last_report,
    last_results,
)
from field_app.sync.errors import DeviceRevoked, SyncError, TransportError
from field_app.sync.report import ItemResult, Notice, SyncReport
from field_app.sync.transport import RequestsTransport, Response, Transport

__all__ = [
    "PHASES",
    "DeviceRevoked",
    "Enrolment",
    "ItemResult",
    "Notice",
    "Progress",
    "RequestsTransport",
    "Response",
    "SyncClient",
    "SyncError",
    "SyncReport",
    "Transport",
    "TransportError",
    "enrol",
    "last_report",
    "last_results",
]
