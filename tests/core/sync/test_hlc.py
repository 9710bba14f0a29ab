from hypothesis import given
from hypothesis import strategies as st

from field_app.core.sync.hlc import MAX_COUNTER, HlcTimestamp, receive, tick


def test_tick_follows_the_clock_and_never_goes_back():
    first = tick(None, now_ms=1_000, node="a")
    assert first == HlcTimestamp(1_000, 0, "a")
    assert tick(first, now_ms=2_000, node="a") == HlcTimestamp(2_000, 0, "a")
    # the clock was set back by hand: the timestamp still moves forward
    assert tick(first, now_ms=10, node="a") == HlcTimestamp(1_000, 1, "a")


def test_counter_overflow_borrows_the_next_millisecond():
    assert tick(HlcTimestamp(5, MAX_COUNTER, "a"), now_ms=5, node="a") == HlcTimestamp(6, 0, "a")


def test_receive_moves_past_the_remote():
    remote = HlcTimestamp(9_000, 3, "server")
    assert receive(HlcTimestamp(1_000, 0, "a"), remote, now_ms=2_000, node="a") == HlcTimestamp(9_000, 4, "a")
    assert receive(None, remote, now_ms=20_000, node="a") == HlcTimestamp(20_000, 0, "a")


def test_text_form_sorts_like_the_timestamp():
    a, b = HlcTimestamp(999, 12, "x"), HlcTimestamp(1_000, 0, "a")
    assert str(a) < str(b) and a < b
    assert HlcTimestamp.parse(str(a)) == a


stamps = st.builds(HlcTimestamp, st.integers(0, 10**15), st.integers(0, MAX_COUNTER), st.sampled_from("abc"))


@given(last=st.none() | stamps, now=st.integers(0, 10**15))
def test_tick_is_monotonic(last, now):
    after = tick(last, now_ms=now, node="a")
    assert last is None or after > last
    assert after.wall_ms >= now or (last is not None and after.wall_ms >= last.wall_ms)


@given(last=st.none() | stamps, remote=stamps, now=st.integers(0, 10**15))
def test_receive_is_after_both(last, remote, now):
    after = receive(last, remote, now_ms=now, node="a")
    assert after.wall_ms >= remote.wall_ms
    assert (after.wall_ms, after.counter) > (remote.wall_ms, remote.counter)
    assert last is None or (after.wall_ms, after.counter) > (last.wall_ms, last.counter)


@given(a=stamps, b=stamps)
def test_text_order_equals_tuple_order(a, b):
    assert (str(a) < str(b)) == (a < b)
