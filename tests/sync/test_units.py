"""The client's small parts without a server: the real HTTP transport's failure mode, how
refusals map onto the error tree, and the report as the app reads it."""

from __future__ import annotations

import socket

import pytest

from field_app.core.i18n import MESSAGES
from field_app.sync import DeviceRevoked, ItemResult, RequestsTransport, SyncError, SyncReport, TransportError
from field_app.sync.report import Notice
from field_app.sync.transport import Response


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_requests_transport_turns_a_refused_connection_into_a_network_error():
    transport = RequestsTransport(f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(TransportError) as caught:
        transport.request("GET", "/api/v1/health", timeout=(2, 2))
    error = caught.value
    assert error.code == "sync.network"
    assert error.message("zh") == "网络连接中断，已保存的数据不会丢失，恢复网络后请重新同步"
    assert error.retryable


def test_response_reads_headers_case_insensitively_and_tolerates_non_json():
    response = Response(200, {"upload-offset": "12"}, b"<html>")
    assert response.header("Upload-Offset") == "12"
    assert response.json() is None
    assert Response(204).json() is None


def test_a_revoked_device_is_told_to_wipe():
    error = SyncError.from_response(
        403, {"code": "auth.device_revoked", "message": "…", "details": {"wipe": True}}
    )
    assert isinstance(error, DeviceRevoked)
    assert error.wipe and error.details["wipe"] is True
    assert error.code == "auth.device_revoked"
    assert "清除本机数据" in error.message("zh")
    assert not error.retryable


def test_a_known_refusal_keeps_the_servers_code_and_fills_the_chinese_message():
    error = SyncError.from_response(409, {"code": "photo.offset_mismatch", "message": "x", "details": {"offset": 7}})
    assert error.code == "photo.offset_mismatch"
    assert "7" in error.message("zh")
    assert error.status == 409


def test_an_unexplained_refusal_is_a_server_error_with_its_status():
    error = SyncError.from_response(502, None)
    assert error.code == "sync.client.server_error"
    assert "502" in error.message("zh")
    assert error.retryable
    unknown = SyncError.from_response(400, {"code": "some.future_code", "message": "新的错误", "details": {}})
    assert unknown.code == "sync.client.server_error"
    assert unknown.details["server_code"] == "some.future_code"
    assert unknown.details["server_message"] == "新的错误"


def test_report_counts_outcomes_summarises_in_both_languages_and_round_trips():
    report = SyncReport(started_ms=1)
    report.results = [
        ItemResult(1, "household", "h1", "applied"),
        ItemResult(2, "household", "h1", "conflict", reason_code="sync.conflict.disputed",
                   reason_zh="“户主姓名”被同时改成不同的值", reason_en="'head_name' was changed", conflict_ids=("c1",)),
        ItemResult(3, "member", "m1", "rejected", reason_zh="不合规", reason_en="invalid"),
    ]
    report.pulled = 4
    report.notices.append(Notice("sync.client.photo_mismatch", "照片", "photo"))
    assert report.counts == {"applied": 1, "merged": 0, "conflict": 1, "rejected": 1, "deferred": 0}
    assert report.pushed == 3
    assert [item.device_seq for item in report.needing_attention] == [2, 3]
    assert "上传修改 3 条" in report.summary("zh") and "1 条有冲突" in report.summary("zh")
    assert "3 changes sent" in report.summary("en")
    assert report.results[1].outcome_text("zh") == MESSAGES["sync.client.outcome.conflict"][0]
    assert report.results[1].reason("en") == "'head_name' was changed"
    assert SyncReport.from_json(report.to_json()) == report


def test_an_interrupted_report_says_so():
    report = SyncReport(started_ms=1, interrupted=True)
    assert "同步中断" in report.summary("zh")
    assert "interrupted" in report.summary("en")
