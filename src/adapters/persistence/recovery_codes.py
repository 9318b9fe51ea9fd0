"""Recovery codes of two-factor authentication in SQL: digests, each deleted when used."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import mfa_recovery_codes
from todo_api.application.ports import RecoveryCodeRepository
from todo_api.domain.ids import UserId

__all__ = ["SqlAlchemyRecoveryCodes"]


class SqlAlchemyRecoveryCodes(RecoveryCodeRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def replace(self, user_id: UserId, digests: Sequence[str]) -> None:
        await self._connection.execute(
            mfa_recovery_codes.delete().where(mfa_recovery_codes.c.user_id == user_id)
        )
        if digests:
            await self._connection.execute(
                mfa_recovery_codes.insert(),
                [{"user_id": user_id, "digest": digest} for digest in digests],
            )

    async def consume(self, user_id: UserId, digest: str) -> bool:
        # One DELETE: of two concurrent uses of one code, one deletes the row.
        result = await self._connection.execute(
            mfa_recovery_codes.delete().where(
                mfa_recovery_codes.c.user_id == user_id, mfa_recovery_codes.c.digest == digest
            )
        )
        return result.rowcount == 1
