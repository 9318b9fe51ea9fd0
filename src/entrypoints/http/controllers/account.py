"""The caller's own account and sessions."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.response import Response
from msgspec import UnsetType

from todo_api.application.auth.account import (
    ChangePassword,
    ChangePasswordCommand,
    UpdateProfile,
)
from todo_api.application.auth.email_change import EmailChangeCommand, RequestEmailChange
from todo_api.application.auth.logout import LogOutEverywhere
from todo_api.application.auth.mfa import DisableMfa, EnableMfa, SetUpMfa
from todo_api.application.auth.portability import (
    DeleteAccount,
    DeleteAccountCommand,
    ExportAccount,
)
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.sessions import ListSessions, RevokeSession
from todo_api.application.auth.verification import ResendVerification
from todo_api.application.unset import UNSET as APP_UNSET
from todo_api.application.unset import Unset
from todo_api.domain.api_token import Scope
from todo_api.domain.ids import SessionId
from todo_api.domain.timezone import TimeZoneName
from todo_api.domain.user import DisplayName
from todo_api.entrypoints.http.controllers.auth import logged_out_response
from todo_api.entrypoints.http.cookies import cleared_refresh_cookie, device_token_of
from todo_api.entrypoints.http.dependencies import (
    AUTHENTICATED,
    NO_STORE,
    authenticated_use_case,
    container_of,
)
from todo_api.entrypoints.http.errors import RequestValidationError
from todo_api.entrypoints.http.openapi import BEARER, ContractOperation, error_responses
from todo_api.entrypoints.http.path_ids import UuidId, parse_uuid
from todo_api.entrypoints.http.schemas.auth import (
    AccountDeletion,
    AccountExportRead,
    MessageRead,
    MfaCode,
    MfaDisable,
    MfaSetupRead,
    PasswordChange,
    ProfilePatch,
    RecoveryCodesRead,
    SessionRead,
    UserRead,
)
from todo_api.entrypoints.http.schemas.tasks import sent
from todo_api.entrypoints.http.scopes import SESSION_ONLY, needs


class AccountController(Controller):
    path = "/api/v1/auth"
    tags = ["account"]
    dependencies = AUTHENTICATED
    security = BEARER
    cache_control = NO_STORE
    # Managing the account, its sessions and credentials needs a signed-in session.
    opt = SESSION_ONLY

    @get(
        "/me",
        responses=error_responses(401, 403, 503),
        summary="The caller's account",
        opt=needs(Scope.ACCOUNT_READ),
    )
    async def me(self, principal: NamedDependency[Principal]) -> UserRead:
        # Authentication already read the user with the session: no second query.
        return UserRead.of(principal.user)

    @patch(
        "/me",
        dependencies={
            "update_profile": authenticated_use_case("update_profile"),
            "request_email_change": authenticated_use_case("request_email_change"),
        },
        responses=error_responses(400, 401, 403, 422, 429, 503),
        summary="Change the caller's display name, time zone or (confirmed by mail) email",
        operation_class=ContractOperation,
    )
    async def update_me(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        data: JSONBody[ProfilePatch],
        update_profile: NamedDependency[UpdateProfile],
        request_email_change: NamedDependency[RequestEmailChange],
    ) -> UserRead:
        name = APP_UNSET if isinstance(data.name, UnsetType) else DisplayName.optional(data.name)
        timezone = sent(data.timezone)
        if not isinstance(data.email, UnsetType):
            if isinstance(data.current_password, UnsetType):
                raise RequestValidationError(
                    "Changing the email needs the current password.", field="current_password"
                )
            # First, so that a wrong password changes nothing else either.
            await request_email_change.execute(
                principal,
                EmailChangeCommand(data.email, data.current_password, device_token_of(request)),
            )
        return UserRead.of(
            await update_profile.execute(
                principal, name, timezone if isinstance(timezone, Unset) else TimeZoneName(timezone)
            )
        )

    @post(
        "/verify-email/resend",
        dependencies={"resend": authenticated_use_case("resend_verification")},
        responses=error_responses(401, 403, 429, 503),
        status_code=202,
        summary="Mail another verification link (none once the address is verified)",
    )
    async def resend_verification(
        self, principal: NamedDependency[Principal], resend: NamedDependency[ResendVerification]
    ) -> MessageRead:
        await resend.execute(principal)
        return MessageRead(
            message="A verification link is on its way, unless the address is verified."
        )

    @get(
        "/me/export",
        dependencies={"export_account": authenticated_use_case("export_account")},
        responses=error_responses(401, 403, 503),
        summary="Everything of the caller's account, as one JSON document",
        operation_class=ContractOperation,
    )
    async def export(
        self,
        principal: NamedDependency[Principal],
        export_account: NamedDependency[ExportAccount],
    ) -> Response[AccountExportRead]:
        export = await export_account.execute(principal)
        return Response(
            AccountExportRead.of(export, principal.session),
            headers={"Content-Disposition": 'attachment; filename="todo-api-export.json"'},
        )

    @delete(
        "/me",
        dependencies={"delete_account": authenticated_use_case("delete_account")},
        responses=error_responses(400, 401, 403, 422, 429, 503),
        status_code=204,
        summary="Delete the account and everything of it; every token of it dies at once",
        operation_class=ContractOperation,
    )
    async def delete_me(
        self,
        request: Request,
        state: State,
        principal: NamedDependency[Principal],
        data: JSONBody[AccountDeletion],
        delete_account: NamedDependency[DeleteAccount],
    ) -> Response[None]:
        await delete_account.execute(
            principal, DeleteAccountCommand(data.password, device_token_of(request))
        )
        secure = container_of(state).settings().cookie_secure
        return Response(None, status_code=204, cookies=[cleared_refresh_cookie(secure=secure)])

    @post(
        "/mfa/setup",
        dependencies={"set_up_mfa": authenticated_use_case("set_up_mfa")},
        responses=error_responses(400, 401, 403, 503),
        status_code=200,
        summary="Start two-factor authentication: a new TOTP secret, shown once",
        operation_class=ContractOperation,
    )
    async def set_up_mfa(
        self, principal: NamedDependency[Principal], set_up_mfa: NamedDependency[SetUpMfa]
    ) -> MfaSetupRead:
        setup = await set_up_mfa.execute(principal)
        return MfaSetupRead(secret=setup.secret, otpauth_uri=setup.uri)

    @post(
        "/mfa/enable",
        dependencies={"enable_mfa": authenticated_use_case("enable_mfa")},
        responses=error_responses(400, 401, 403, 422, 503),
        status_code=200,
        summary="Turn two-factor authentication on with a first code; recovery codes, once",
        operation_class=ContractOperation,
    )
    async def enable_mfa(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[MfaCode],
        enable_mfa: NamedDependency[EnableMfa],
    ) -> RecoveryCodesRead:
        return RecoveryCodesRead(recovery_codes=await enable_mfa.execute(principal, data.code))

    @post(
        "/mfa/disable",
        dependencies={"disable_mfa": authenticated_use_case("disable_mfa")},
        responses=error_responses(400, 401, 403, 422, 429, 503),
        status_code=204,
        summary="Turn two-factor authentication off, with the password and a code",
        operation_class=ContractOperation,
    )
    async def disable_mfa(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        data: JSONBody[MfaDisable],
        disable_mfa: NamedDependency[DisableMfa],
    ) -> None:
        await disable_mfa.execute(principal, data.password, data.code, device_token_of(request))

    @post(
        "/me/password",
        dependencies={"change_password": authenticated_use_case("change_password")},
        responses=error_responses(400, 401, 403, 422, 429, 503),
        status_code=204,
        summary="Change the password; every other session ends",
        operation_class=ContractOperation,
    )
    async def change_password(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        data: JSONBody[PasswordChange],
        change_password: NamedDependency[ChangePassword],
    ) -> None:
        await change_password.execute(
            principal,
            ChangePasswordCommand(
                current_password=data.current_password,
                new_password=data.new_password,
                device_token=device_token_of(request),
            ),
        )

    @get(
        "/sessions",
        dependencies={"list_sessions": authenticated_use_case("list_sessions")},
        responses=error_responses(401, 403, 503),
        summary="The caller's live sessions",
        operation_class=ContractOperation,
    )
    async def sessions(
        self, principal: NamedDependency[Principal], list_sessions: NamedDependency[ListSessions]
    ) -> list[SessionRead]:
        found = await list_sessions.execute(principal)
        return [SessionRead.of(s, current=s.id == principal.session) for s in found]

    @delete(
        "/sessions/{session_id:str}",
        dependencies={"revoke_session": authenticated_use_case("revoke_session")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="End one of the caller's sessions",
        operation_class=ContractOperation,
    )
    async def revoke(
        self,
        principal: NamedDependency[Principal],
        session_id: UuidId,
        revoke_session: NamedDependency[RevokeSession],
    ) -> None:
        await revoke_session.execute(principal, SessionId(parse_uuid(session_id, "session_id")))

    @post(
        "/logout-all",
        dependencies={"log_out_everywhere": authenticated_use_case("log_out_everywhere")},
        responses=error_responses(401, 403, 503),
        status_code=200,
        summary="End every session of the caller",
        operation_class=ContractOperation,
    )
    async def logout_all(
        self,
        principal: NamedDependency[Principal],
        state: State,
        log_out_everywhere: NamedDependency[LogOutEverywhere],
    ) -> Response[MessageRead]:
        await log_out_everywhere.execute(principal)
        return logged_out_response(state, "Successfully logged out of every session")
