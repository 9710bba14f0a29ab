"""Every error has the shape {code, message, details}: Chinese by default, English on request."""

from __future__ import annotations

import logging

import pytest

from sync_server.errors import negotiate_language

from .conftest import TestClient


def test_shape_in_chinese_by_default_and_english_on_request(client):
    zh = client.get("/api/v1/me")
    en = client.get("/api/v1/me", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert zh.status_code == en.status_code == 401
    assert set(zh.json()) == set(en.json()) == {"code", "message", "details"}
    assert zh.json()["code"] == en.json()["code"] == "auth.required"
    assert zh.json()["message"] == "请先登录（缺少访问令牌）"
    assert en.json()["message"].startswith("Sign in first")


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en", "en"),
        ("en-US", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.5,zh;q=0.9", "zh"),
        ("fr,en;q=0.3", "en"),
        ("fr", "zh"),
        ("en;q=0", "zh"),
        ("en;q=abc", "zh"),
    ],
)
def test_language_negotiation(header, lang):
    assert negotiate_language(header) == lang


def test_oversized_body_with_content_length_is_413(client, settings):
    body = b"{" + b" " * settings.max_body_bytes + b"}"
    response = client.post("/api/v1/enrol", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {
        "code": "request.too_large",
        "message": f"请求内容太大（上限 {settings.max_body_bytes} 字节）",
        "details": {"limit": settings.max_body_bytes},
    }


def test_oversized_streamed_body_without_content_length_is_413(client, settings):
    def chunks():
        for _ in range(settings.max_body_bytes // 1000 + 2):
            yield b" " * 1000

    response = client.post("/api/v1/enrol", content=chunks(),
                           headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert "content-length" not in response.request.headers  # really streamed (chunked)
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"
    assert response.json()["message"].startswith("The request is too large")


def test_a_streamed_body_under_the_limit_passes(client):
    def chunks():
        yield b'{"code": "AAAA-BBBB-CCCC", '
        yield b'"password": "x", "device_name": "y"}'

    response = client.post("/api/v1/enrol", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 401 and response.json()["code"] == "enrol.code_invalid"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (b'{"code": "x", ', "body", "JSON"),
        (b"[1, 2]", "body", "JSON"),
        (b'{"code": "x"}', "password", "必填"),
        (b'{"code": 5, "password": "p", "device_name": "d"}', "code", "文字"),
        (b'{"code": "x", "password": "p", "device_name": "d", "extra": 1}', "extra", "未知"),
    ],
)
def test_malformed_bodies_are_422_naming_the_problem(client, body, field, words):
    response = client.post("/api/v1/enrol", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "request.invalid"
    assert problem["details"]["errors"][0]["field"] == field
    assert words in problem["message"]


def test_malformed_json_in_english(client):
    response = client.post("/api/v1/enrol", content=b"{oops", headers={"Content-Type": "application/json",
                                                                        "Accept-Language": "en"})
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["message"]


def test_bad_query_parameters_are_422(kit, client):
    kit.admin()
    response = client.get("/api/v1/admin/audit", params={"limit": "many"}, headers=kit.login("admin1"))
    assert response.status_code == 422 and response.json()["details"]["errors"][0]["field"] == "limit"


def test_unknown_route_and_wrong_method_have_the_same_shape(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "request.route_not_found"
    wrong = client.delete("/api/v1/health")
    assert wrong.status_code == 405 and wrong.json()["code"] == "request.method_not_allowed"


def test_unexpected_errors_are_500_internal_without_details_but_logged(app, caplog):
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret table users_password_hash at /srv/data")

    with caplog.at_level(logging.ERROR, logger="sync_server"), TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "Internal error; please contact the administrator",
                               "details": {}}
    assert "secret" not in response.text
    assert any("secret table" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)
