"""Registering, logging in, refreshing and logging out."""

from __future__ import annotations

from litestar import Controller, Request, Response, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from todo_api.application.auth.email_change import ConfirmEmailChange
from todo_api.application.auth.login import LogIn, LogInCommand
from todo_api.application.auth.logout import LogOut
from todo_api.application.auth.mfa import CompleteMfaLogin, MfaLoginCommand
from todo_api.application.auth.password_reset import (
    RequestPasswordReset,
    ResetCommand,
    ResetPassword,
)
from todo_api.application.auth.refresh import RefreshSession
from todo_api.application.auth.register import RegisterCommand, RegisterUser
from todo_api.application.auth.tokens import TokenPair
from todo_api.application.auth.verification import VerifyEmail
from todo_api.domain.user import DisplayName
from todo_api.entrypoints.http.cookies import (
    cleared_refresh_cookie,
    device_cookie,
    device_token_of,
    refresh_cookie,
    refresh_token_of,
)
from todo_api.entrypoints.http.dependencies import container_of, use_case
from todo_api.entrypoints.http.guards import rate_limited, same_site_only, spend_ip_budget
from todo_api.entrypoints.http.login_body import LoginOperation, read_credentials
from todo_api.entrypoints.http.openapi import error_responses
from todo_api.entrypoints.http.schemas.auth import (
    ForgotPassword,
    MessageRead,
    MfaLogin,
    PasswordReset,
    RegisterRequest,
    TokenBody,
    TokenRead,
    UserRead,
)

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register",
        dependencies={"register": use_case("register_user")},
        responses=error_responses(400, 422, 429, 503),
        summary="Create an account",
    )
    async def register(
        self,
        request: Request,
        data: JSONBody[RegisterRequest],
        register: NamedDependency[RegisterUser],
    ) -> UserRead:
        await spend_ip_budget(request, "register")
        user = await register.execute(
            RegisterCommand(
                email=data.email, password=data.password, name=DisplayName.optional(data.name)
            )
        )
        return UserRead.of(user)

    @post(
        "/login",
        dependencies={"log_in": use_case("log_in")},
        guards=[same_site_only, rate_limited("login")],
        operation_class=LoginOperation,
        responses=error_responses(401, 403, 415, 422, 429, 503),
        status_code=200,
        summary="Log in and receive an access token and the refresh cookie",
    )
    async def login(
        self, request: Request, state: State, log_in: NamedDependency[LogIn]
    ) -> Response[TokenRead]:
        email, password = await read_credentials(request)
        tokens = await log_in.execute(
            LogInCommand(
                email=email,
                password=password,
                user_agent=request.headers.get("user-agent"),
                device_token=device_token_of(request),
            )
        )
        return _token_response(tokens, state)

    @post(
        "/refresh",
        dependencies={"refresh": use_case("refresh_session")},
        guards=[same_site_only, rate_limited("refresh")],
        responses=error_responses(401, 403, 429, 503),
        status_code=200,
        summary="Exchange the refresh cookie for a new access token and cookie",
    )
    async def refresh(
        self, request: Request, state: State, refresh: NamedDependency[RefreshSession]
    ) -> Response[TokenRead]:
        tokens = await refresh.execute(refresh_token_of(request))
        return _token_response(tokens, state)

    @post(
        "/logout",
        dependencies={"log_out": use_case("log_out")},
        guards=[same_site_only],
        responses=error_responses(403, 503),
        status_code=200,
        summary="End the session of the refresh cookie and clear it",
    )
    async def logout(
        self, request: Request, state: State, log_out: NamedDependency[LogOut]
    ) -> Response[MessageRead]:
        await log_out.execute(refresh_token_of(request))
        return logged_out_response(state, "Successfully logged out")

    @post(
        "/verify-email",
        dependencies={"verify_email": use_case("verify_email")},
        guards=[rate_limited("account_email")],
        responses=error_responses(400, 422, 429, 503),
        status_code=200,
        summary="Verify the email address with the token of the emailed link",
    )
    async def verify_email(
        self, data: JSONBody[TokenBody], verify_email: NamedDependency[VerifyEmail]
    ) -> UserRead:
        return UserRead.of(await verify_email.execute(data.token))

    @post(
        "/forgot-password",
        dependencies={"request_reset": use_case("request_password_reset")},
        guards=[rate_limited("account_email")],
        responses=error_responses(400, 422, 429, 503),
        status_code=202,
        summary="Mail a password reset link, if an account has this address",
    )
    async def forgot_password(
        self,
        data: JSONBody[ForgotPassword],
        request_reset: NamedDependency[RequestPasswordReset],
    ) -> MessageRead:
        await request_reset.execute(data.email)
        return MessageRead(message=RESET_REQUESTED)

    @post(
        "/reset-password",
        dependencies={"reset_password": use_case("reset_password")},
        guards=[rate_limited("account_email")],
        responses=error_responses(400, 422, 429, 503),
        status_code=204,
        summary="Set a new password with the token of the emailed link; every session ends",
    )
    async def reset_password(
        self, data: JSONBody[PasswordReset], reset_password: NamedDependency[ResetPassword]
    ) -> None:
        await reset_password.execute(ResetCommand(data.token, data.new_password))

    @post(
        "/confirm-email",
        dependencies={"confirm_email_change": use_case("confirm_email_change")},
        guards=[rate_limited("account_email")],
        responses=error_responses(400, 422, 429, 503),
        status_code=200,
        summary="Move the account to its new address with the token of the link sent there",
    )
    async def confirm_email(
        self,
        data: JSONBody[TokenBody],
        confirm_email_change: NamedDependency[ConfirmEmailChange],
    ) -> UserRead:
        return UserRead.of(await confirm_email_change.execute(data.token))

    @post(
        "/mfa/verify",
        dependencies={"complete": use_case("complete_mfa_login")},
        guards=[same_site_only, rate_limited("login")],
        responses=error_responses(400, 401, 403, 422, 429, 503),
        status_code=200,
        summary="Complete a login that answered MFA_REQUIRED with a code",
    )
    async def verify_mfa(
        self,
        request: Request,
        state: State,
        data: JSONBody[MfaLogin],
        complete: NamedDependency[CompleteMfaLogin],
    ) -> Response[TokenRead]:
        tokens = await complete.execute(
            MfaLoginCommand(
                mfa_token=data.mfa_token,
                code=data.code,
                user_agent=request.headers.get("user-agent"),
                device_token=device_token_of(request),
            )
        )
        return _token_response(tokens, state)


# The same answer whether or not an account has the address (no enumeration).
RESET_REQUESTED = "If an account has this address, a link to reset its password is on its way."


def _token_response(tokens: TokenPair, state: State) -> Response[TokenRead]:
    secure = container_of(state).settings().cookie_secure
    cookies = [refresh_cookie(tokens.refresh.token, tokens.refresh.expires_in, secure=secure)]
    if tokens.device is not None:
        cookies.append(device_cookie(tokens.device.token, tokens.device.expires_in, secure=secure))
    return Response(
        TokenRead(access_token=tokens.access.token, expires_in=tokens.access.expires_in),
        headers=_NO_STORE,
        cookies=cookies,
    )


def logged_out_response(state: State, message: str) -> Response[MessageRead]:
    settings = container_of(state).settings()
    return Response(
        MessageRead(message=message),
        headers=_NO_STORE,
        cookies=[cleared_refresh_cookie(secure=settings.cookie_secure)],
    )


__all__ = ["AuthController", "Provide", "logged_out_response"]
