"""Password hashing: slow KDF, parameters stored with the hash, constant-time verification."""

from __future__ import annotations

import pydantic
import pytest

from sync_server.auth.passwords import (
    ScryptParams,
    hash_password,
    needs_rehash,
    stored_params,
    verify_password,
)

from .conftest import PASSWORD, TEST_KDF


def test_right_password_verifies_and_wrong_does_not():
    stored = hash_password("春耕 2026 secret", TEST_KDF)
    assert verify_password("春耕 2026 secret", stored, TEST_KDF)
    assert not verify_password("春耕 2026 secreT", stored, TEST_KDF)
    assert not verify_password("", stored, TEST_KDF)


def test_parameters_and_salt_are_stored_with_the_hash():
    stored = hash_password(PASSWORD, TEST_KDF)
    assert stored.startswith("scrypt$n=1024,r=8,p=1$")
    assert stored_params(stored) == (1024, 8, 1)
    assert PASSWORD not in stored
    assert hash_password(PASSWORD, TEST_KDF) != stored  # a fresh salt each time


def test_a_hash_verifies_with_its_own_parameters_after_the_cost_is_raised():
    old = hash_password(PASSWORD, ScryptParams(n=2**9))
    raised = ScryptParams(n=2**11)
    assert verify_password(PASSWORD, old, raised)
    assert needs_rehash(old, raised)
    assert not needs_rehash(hash_password(PASSWORD, raised), raised)


@pytest.mark.parametrize("stored", [None, "", "plain", "scrypt$n=1024$x$y", "bcrypt$n=1,r=1,p=1$AA==$AA==",
                                    "scrypt$n=1024,r=8,p=1$!!$AA=="])
def test_missing_or_foreign_hashes_never_verify(stored):
    assert not verify_password(PASSWORD, stored, TEST_KDF)


def test_n_must_be_a_power_of_two():
    with pytest.raises(pydantic.ValidationError):
        ScryptParams(n=1000)


def test_the_default_cost_is_a_slow_kdf():
    params = ScryptParams()
    assert params.n >= 2**15 and params.memory_bytes >= 32 * 1024 * 1024


def test_login_upgrades_an_old_hash(kit, db, settings):
    from sync_server.auth.sessions import check_password

    kit.user("old_hash")
    db.conn.execute("UPDATE users SET password_hash = ? WHERE username = 'old_hash'",
                    (hash_password(PASSWORD, ScryptParams(n=2**8)),))
    check_password(db, "old_hash", PASSWORD, settings.password_kdf)
    stored = db.conn.execute("SELECT password_hash FROM users WHERE username = 'old_hash'").fetchone()[0]
    assert stored_params(stored) == (TEST_KDF.n, TEST_KDF.r, TEST_KDF.p)


def test_sign_in_refuses_wrong_password_and_unknown_user_alike(kit, client):
    kit.user("worker1")
    wrong = client.post("/api/v1/sessions", json={"username": "worker1", "password": "nope-nope"})
    unknown = client.post("/api/v1/sessions", json={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "auth.bad_credentials"
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_sessions_expire(kit, client, clock, settings):
    kit.user("worker1")
    headers = kit.login("worker1")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(settings.session_lifetime)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "auth.token_invalid"
