import pytest

from todo_api.application.rates import Rate, RateDecision


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/minute", Rate(5, 60)), ("10/second", Rate(10, 1)), (" 20 / hour ", Rate(20, 3600))],
)
def test_rates_parse(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "5", "5/day", "0/minute", "-1/minute", "five/minute"])
def test_malformed_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="N/second"):
        Rate.parse(text)


def test_a_decision_allows_up_to_the_limit() -> None:
    rate = Rate(2, 60)
    assert RateDecision.after(2, rate, 30.2).allowed
    refused = RateDecision.after(3, rate, 30.2)
    assert (refused.allowed, refused.remaining, refused.retry_after) == (False, 0, 31)
