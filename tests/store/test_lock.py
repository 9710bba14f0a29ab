import pytest

from field_app.store.lock import AttemptPolicy, IdleLock


def test_idle_lock_starts_locked_and_opens_only_by_unlock():
    lock = IdleLock(60)
    assert lock.is_locked(0)
    assert lock.touch(1) is False  # a touch on the lock screen opens nothing
    assert lock.is_locked(1)
    lock.unlock(2)
    assert not lock.is_locked(2)


def test_idle_lock_locks_after_timeout_and_touch_postpones_it():
    lock = IdleLock(60)
    lock.unlock(0)
    assert lock.touch(50)
    assert not lock.is_locked(109)
    assert lock.seconds_left(100) == pytest.approx(10)
    assert lock.is_locked(110)
    assert lock.seconds_left(110) == 0


def test_idle_lock_stays_locked_once_idle_even_if_touched_later():
    lock = IdleLock(60)
    lock.unlock(0)
    assert lock.is_locked(61)
    assert lock.touch(62) is False
    assert lock.is_locked(62)


def test_a_late_event_does_not_rewind_idleness():
    lock = IdleLock(60)
    lock.unlock(0)
    lock.touch(50)
    lock.touch(10)  # an event stamped earlier, delivered late
    assert not lock.is_locked(100)


def test_lock_now():
    lock = IdleLock(60)
    lock.unlock(0)
    lock.lock()
    assert lock.is_locked(1)


def test_idle_lock_asks_its_clock_when_no_time_is_given():
    now = [100.0]
    lock = IdleLock(30, clock=lambda: now[0])
    lock.unlock()
    now[0] = 129.0
    assert not lock.is_locked()
    now[0] = 130.0
    assert lock.is_locked()


def test_idle_timeout_must_be_positive():
    with pytest.raises(ValueError):
        IdleLock(0)


def test_attempt_policy_delays_double_after_the_free_failures():
    policy = AttemptPolicy(max_failures=10, free_failures=3, first_delay_seconds=30)
    assert [policy.delay_after(n) for n in range(1, 7)] == [0, 0, 30, 60, 120, 240]


def test_attempt_policy_remaining_warning_and_exhaustion():
    policy = AttemptPolicy(max_failures=10, warn_when_remaining=3)
    assert policy.remaining(0) == 10
    assert not policy.warn(6)  # 4 left
    assert policy.warn(7) and policy.warn(9)  # 3 .. 1 left
    assert not policy.warn(10)  # none left: wiped, nothing to warn about
    assert policy.exhausted(10) and not policy.exhausted(9)
    assert policy.remaining(12) == 0


def test_attempt_policy_refuses_nonsense():
    with pytest.raises(ValueError):
        AttemptPolicy(max_failures=0)
