from todo_api.adapters.clock import ManualTicker
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.application.rates import Rate


async def test_the_limit_holds_within_a_window_and_resets_after_it() -> None:
    ticker = ManualTicker(start=0.0)
    limiter = InMemoryRateLimiter(monotonic=ticker)
    rate = Rate(5, 60)
    decisions = [await limiter.hit("k", rate) for _ in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert decisions[-1].retry_after == 60
    ticker.now = 59.5
    assert not (await limiter.hit("k", rate)).allowed
    ticker.now = 60.0
    assert (await limiter.hit("k", rate)).allowed


async def test_keys_have_separate_budgets() -> None:
    limiter = InMemoryRateLimiter(monotonic=ManualTicker(start=0.0))
    rate = Rate(1, 60)
    assert (await limiter.hit("a", rate)).allowed
    assert (await limiter.hit("b", rate)).allowed
    assert not (await limiter.hit("a", rate)).allowed


async def test_expired_windows_are_swept() -> None:
    ticker = ManualTicker(start=0.0)
    limiter = InMemoryRateLimiter(monotonic=ticker, sweep_every=2)
    await limiter.hit("old", Rate(1, 1))
    ticker.now = 5
    await limiter.hit("new", Rate(1, 1))
    assert "old" not in limiter._windows
