import bcrypt
import pytest

from todo_api.adapters.security.bcrypt_hasher import BcryptPasswordHasher


@pytest.fixture
def hasher():
    hasher = BcryptPasswordHasher(rounds=4)
    yield hasher
    hasher.close()


async def test_a_hash_verifies_its_password_only(hasher: BcryptPasswordHasher) -> None:
    hashed = await hasher.hash("correct horse battery")
    assert hashed.startswith("$2b$04$")
    assert await hasher.verify("correct horse battery", hashed)
    assert not await hasher.verify("correct horse batterz", hashed)


async def test_the_cost_is_the_configured_one() -> None:
    hasher = BcryptPasswordHasher(rounds=5)
    try:
        assert (await hasher.hash("whatever you like")).startswith("$2b$05$")
    finally:
        hasher.close()


async def test_passwords_longer_than_72_bytes_are_not_truncated(
    hasher: BcryptPasswordHasher,
) -> None:
    base = "é" * 60  # 120 UTF-8 bytes
    hashed = await hasher.hash(base + "a")
    assert await hasher.verify(base + "a", hashed)
    assert not await hasher.verify(base + "b", hashed)


async def test_an_unknown_account_costs_one_verification_and_fails(
    hasher: BcryptPasswordHasher,
) -> None:
    assert not await hasher.verify("anything at all", None)


async def test_a_corrupt_hash_fails_instead_of_raising(hasher: BcryptPasswordHasher) -> None:
    assert not await hasher.verify("anything at all", "not-a-bcrypt-hash")


async def test_lone_surrogates_hash_without_error(hasher: BcryptPasswordHasher) -> None:
    hashed = await hasher.hash("pass\ud800word!")
    assert await hasher.verify("pass\ud800word!", hashed)


def test_bcrypt_itself_refuses_long_inputs_which_is_why_we_prehash() -> None:
    with pytest.raises(ValueError, match="72"):
        bcrypt.hashpw(b"x" * 73, bcrypt.gensalt(4))
