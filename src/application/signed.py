"""Opaque, signed tokens the service hands to clients and must get back unaltered: cursor pages
and sync positions.

A token is `base64url(json payload) . base64url(HMAC-SHA256[:16])`, with a key derived from the
service's secret and the token's purpose, so one kind of token never passes for another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json

__all__ = ["Signer"]

_SIGNATURE_BYTES = 16
_MAX_TOKEN_LENGTH = 1024


class Signer:
    def __init__(self, secret: bytes, purpose: str) -> None:
        self._key = hashlib.sha256(f"todo-api {purpose}\x00".encode() + secret).digest()

    def dumps(self, payload: list[object]) -> str:
        data = json.dumps(payload, separators=(",", ":")).encode()
        return f"{_b64(data)}.{_b64(self._sign(data))}"

    def loads(self, token: str) -> list[object]:
        """The payload of a token this signer made; ValueError for anything else."""
        try:
            if len(token) > _MAX_TOKEN_LENGTH:
                raise ValueError("too long")
            encoded_payload, encoded_signature = token.split(".")
            data = _unb64(encoded_payload)
            if not hmac.compare_digest(_unb64(encoded_signature), self._sign(data)):
                raise ValueError("signature")
            payload = json.loads(data)
        except (TypeError, binascii.Error) as error:
            raise ValueError("malformed") from error
        if not isinstance(payload, list):
            raise ValueError("malformed")
        return payload

    def _sign(self, data: bytes) -> bytes:
        return hmac.digest(self._key, data, "sha256")[:_SIGNATURE_BYTES]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))
