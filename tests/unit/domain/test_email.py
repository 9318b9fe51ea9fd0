import pytest

from todo_api.domain.email import Email
from todo_api.domain.errors import InvalidEmail


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("ann@example.com", "ann@example.com"),
        ("Ann@Example.COM", "ann@example.com"),
        ("  bob@example.org ", "bob@example.org"),
        ("zoë@bücher.de", "zoë@bücher.de"),
    ],
)
def test_valid_addresses_are_normalised_to_lower_case(raw: str, normalised: str) -> None:
    assert Email.parse(raw).value == normalised


def test_case_variants_of_one_address_are_equal() -> None:
    assert Email.parse("ANN@example.com") == Email.parse("ann@EXAMPLE.com")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "plain",
        "a@",
        "@example.com",
        "a b@example.com",
        "a@exa mple.com",
        "a\x00@example.com",
        "x" * 250 + "@example.com",
    ],
)
def test_invalid_addresses_are_refused_with_the_email_field(raw: str) -> None:
    with pytest.raises(InvalidEmail) as caught:
        Email.parse(raw)
    assert caught.value.code == "INVALID_EMAIL"
    assert caught.value.field == "email"
