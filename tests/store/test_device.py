"""The whole way in on a device: set up a user's store under a PIN, lock, unlock, recover."""

import pytest

from field_app.core.errors import StoreError
from field_app.store.clock import ManualClock
from field_app.store.device import DeviceLayout, set_up_store, unlock_store
from field_app.store.keys import KeyVault, ScryptParams
from field_app.store.keystore import FileKeystore
from field_app.store.recovery import generate_recovery_key
from tests.store.test_no_plaintext import demo_village, needles_of, scan

FAST = ScryptParams(n=2**10, r=8, p=1)  # tests only: real stores use the default parameters
PIN = "482915"


@pytest.fixture(scope="module")
def village():
    return demo_village(15)


@pytest.fixture
def device(tmp_path):
    layout = DeviceLayout(tmp_path / "app-data")
    return {
        "layout": layout,
        "keystore": FileKeystore(tmp_path / "keystore"),  # outside the data folder, as on a phone
        "recovery": generate_recovery_key(),
        "clock": ManualClock(1_790_000_000_000),
    }


def set_up(device, username="hc_wang01", pin=PIN):
    return set_up_store(
        device["layout"],
        username,
        pin,
        keystore=device["keystore"],
        recovery_public_key=device["recovery"].public_key(),
        device_id="tablet-7",
        clock=device["clock"],
        kdf_params=FAST,
    )


def unlock(device, username="hc_wang01", pin=PIN, now=0.0):
    return unlock_store(
        device["layout"],
        username,
        pin,
        keystore=device["keystore"],
        device_id="tablet-7",
        clock=device["clock"],
        now=now,
        kdf_params=FAST,
    )


def test_saved_work_comes_back_after_unlock_and_nothing_is_in_clear(device, village):
    household = village.households[0]
    with set_up(device) as store:
        store.load_server_records([(record, 1) for record in (*village.households, *village.members)])
        store.edit("household", household.id, {"phone": "13912345678"})
        store.save_draft("draft-1", {"household_id": household.id}, {"notes": "屋顶漏雨需维修"})
    with unlock(device) as store:
        entry = store.get("household", household.id)
        assert entry.record.phone == "13912345678" and entry.pending
        assert store.load_draft("draft-1") is not None
        assert [hit.household.id for hit in store.search(household.head_name)][:1] == [household.id]
    needles = needles_of(village) | {"13912345678", "屋顶漏雨需维修"}
    assert scan([device["layout"].root, device["layout"].root.parent / "keystore"], needles) == []


def test_wrong_pin_opens_nothing_and_says_how_many_tries_remain(device):
    set_up(device).close()
    with pytest.raises(StoreError) as caught:
        unlock(device, pin="000111")
    assert caught.value.code == "store.wrong_pin"
    assert "PIN" in caught.value.message("zh")
    with unlock(device) as store:  # the right PIN still works
        assert store.list("household") == []


def test_users_of_one_device_have_separate_stores(device, village):
    with set_up(device, "hc_wang01") as store:
        store.load_server_records([(village.households[0], 1)])
    set_up(device, "vc_li02", pin="739164").close()
    assert device["layout"].enrolled_users() == ["hc_wang01", "vc_li02"]
    with unlock(device, "vc_li02", pin="739164") as store:
        assert store.list("household") == []
    # one user's key file put beside another's store is refused
    layout = device["layout"]
    (layout.user_folder("vc_li02") / "keys.json").write_bytes(
        (layout.user_folder("hc_wang01") / "keys.json").read_bytes()
    )
    with pytest.raises(StoreError) as caught:
        unlock(device, "vc_li02")
    assert caught.value.code in {"store.wrong_store", "store.key_file_tampered"}


def test_county_recovery_key_opens_the_work_of_a_worker_who_left(device, village):
    with set_up(device) as store:
        store.load_server_records([(village.households[0], 1)])
    folder = device["layout"].user_folder("hc_wang01")
    vault = KeyVault.open(folder, device["keystore"], kdf_params=FAST)
    vault.recover(device["recovery"], "604817")
    with unlock(device, pin="604817") as store:
        assert store.get("household", village.households[0].id).record == village.households[0]


def test_bad_username_is_refused_before_touching_disk(device):
    with pytest.raises(Exception) as caught:
        set_up(device, "../escape")
    assert getattr(caught.value, "code", "") == "validation.invalid"
    assert not (device["layout"].root / "escape").exists()
