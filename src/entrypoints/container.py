"""The composition root: the one place that knows which adapter plays which port."""

from __future__ import annotations

import secrets
from datetime import timedelta

from dependency_injector import containers, providers
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.clock import SystemClock
from todo_api.adapters.mail.console import ConsoleMailer
from todo_api.adapters.mail.memory import InMemoryMailer
from todo_api.adapters.mail.smtp import SmtpMailer, SmtpServer
from todo_api.adapters.mail.templates import JinjaMailTemplates
from todo_api.adapters.memory import FakePasswordHasher, InMemoryStore, InMemoryUnitOfWork
from todo_api.adapters.persistence.checkout_turns import CheckoutTurns
from todo_api.adapters.persistence.credential_notices import NotifiedCredentialCache
from todo_api.adapters.persistence.engine import EngineOptions, autocommit_engine, build_engine
from todo_api.adapters.persistence.notifications import libpq_url
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.adapters.rate_limit.redis import RedisRateLimiter
from todo_api.adapters.rate_limit.sql import SqlRateLimiter
from todo_api.adapters.security.bcrypt_hasher import BcryptPasswordHasher
from todo_api.adapters.security.jwt_tokens import JwtTokenService
from todo_api.adapters.security.password_blocklist import ZxcvbnPasswordBlocklist
from todo_api.adapters.security.totp import PyotpPasswords
from todo_api.adapters.webhooks.http_sender import HttpWebhookSender
from todo_api.adapters.webhooks.memory import InMemoryWebhookSender
from todo_api.application.auth.account import ChangePassword, UpdateProfile
from todo_api.application.auth.api_tokens import CreateApiToken, ListApiTokens, RevokeApiToken
from todo_api.application.auth.authenticate import Authenticate
from todo_api.application.auth.credential_cache import CredentialCache, NoCredentialCache
from todo_api.application.auth.email_change import ConfirmEmailChange, RequestEmailChange
from todo_api.application.auth.login import LogIn
from todo_api.application.auth.logout import LogOut, LogOutEverywhere
from todo_api.application.auth.mfa import CompleteMfaLogin, DisableMfa, EnableMfa, SetUpMfa
from todo_api.application.auth.password_reset import RequestPasswordReset, ResetPassword
from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.portability import DeleteAccount, ExportAccount
from todo_api.application.auth.refresh import RefreshSession
from todo_api.application.auth.register import RegisterUser
from todo_api.application.auth.sessions import ListSessions, RevokeSession
from todo_api.application.auth.verification import ResendVerification, VerifyEmail
from todo_api.application.backlog import MeasureBacklog
from todo_api.application.cursor import CursorCodec
from todo_api.application.events import ListEvents, PurgeEvents
from todo_api.application.mail_delivery import DeliverMail, MailLinks
from todo_api.application.ports import Clock, Mailer, RateLimiter
from todo_api.application.rates import Rate
from todo_api.application.reminders import FireReminders
from todo_api.application.sync import ForgetOldDeletions, SyncTasks, SyncTokens
from todo_api.application.tags.manage import CreateTag, DeleteTag, GetTag, ListTags, UpdateTag
from todo_api.application.tasks.create import CreateTask
from todo_api.application.tasks.get import GetTask
from todo_api.application.tasks.listing import ListTasks
from todo_api.application.tasks.snooze import SnoozeReminder
from todo_api.application.tasks.tagging import AssignTag, UnassignTag
from todo_api.application.tasks.update import CompleteTask, DeleteTask, PatchTask, ReplaceTask
from todo_api.application.webhooks.delivery import DeliverWebhooks
from todo_api.application.webhooks.manage import (
    CreateWebhook,
    DeleteWebhook,
    GetWebhook,
    ListDeliveries,
    ListWebhooks,
    TestWebhook,
    UpdateWebhook,
    WebhookPolicy,
)
from todo_api.entrypoints.settings import Settings

__all__ = ["Container", "build_container", "build_in_memory_container", "close_container"]


def _engine_options(settings: Settings) -> EngineOptions:
    return EngineOptions(
        pool_min=settings.db_pool_min,
        pool_max=settings.db_pool_max,
        pool_recycle=settings.db_pool_recycle,
        connect_timeout=settings.db_connection_timeout,
        statement_timeout_ms=int(settings.db_statement_timeout * 1000),
        pool_timeout=settings.db_pool_timeout,
        schema=settings.db_schema,
    )


def _credential_cache(settings: Settings) -> CredentialCache:
    # Postgres announces every revocation and user change; elsewhere every request asks.
    if not settings.credential_cache or libpq_url(settings.database_url) is None:
        return NoCredentialCache()
    return NotifiedCredentialCache()


def _notified(cache: CredentialCache) -> NotifiedCredentialCache | None:
    return cache if isinstance(cache, NotifiedCredentialCache) else None


def _api_token_rate(settings: Settings) -> Rate | None:
    return settings.rate_limit_api_token if settings.rate_limit_enabled else None


def _rate_limiter(settings: Settings, engine: AsyncEngine, clock: Clock) -> RateLimiter:
    # Redis when there is one; otherwise the database, so that every worker and host still
    # shares one budget (a counter per process would multiply each limit by the process count).
    if settings.redis_url:
        return RedisRateLimiter(Redis.from_url(settings.redis_url, socket_timeout=2.0))
    return SqlRateLimiter(engine, clock)


def _session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        refresh_lifetime=timedelta(seconds=settings.refresh_token_ttl),
        failed_logins_per_account=settings.rate_limit_login_failures,
        require_verified_email=settings.require_verified_email,
    )


def _webhook_policy(settings: Settings) -> WebhookPolicy:
    return WebhookPolicy(https_only=settings.app_env == "production")


def _mailer(settings: Settings) -> Mailer:
    if settings.smtp_url is None:
        # Development reads the links in the log; elsewhere they are secrets (ConsoleMailer).
        return ConsoleMailer(show_body=settings.app_env == "development")
    return SmtpMailer(
        SmtpServer.parse(settings.smtp_url.get_secret_value()),
        settings.mail_from,
        ca_file=str(settings.smtp_ca_file) if settings.smtp_ca_file else None,
    )


def _token_secret(settings: Settings) -> bytes:
    return settings.jwt_secret.encode()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    engine = providers.Singleton(
        build_engine, settings.provided.database_url, providers.Callable(_engine_options, settings)
    )
    # Filled only while the HTTP app's lifespan listens for credential notices.
    credential_cache = providers.Singleton(_credential_cache, settings)
    # Units of work take the pool's connections in arrival order (see CheckoutTurns).
    checkout_turns = providers.Singleton(
        CheckoutTurns, settings.provided.db_pool_max, settings.provided.db_pool_timeout
    )
    unit_of_work = providers.Factory(
        SqlAlchemyUnitOfWork,
        engine,
        turns=checkout_turns,
        credentials=providers.Callable(_notified, credential_cache),
    )
    read_engine = providers.Singleton(autocommit_engine, engine)
    # Query use cases read through autocommit connections: no transaction round trips.
    read_unit_of_work = providers.Factory(
        SqlAlchemyUnitOfWork, read_engine, read_only=True, turns=checkout_turns
    )
    password_hasher = providers.Singleton(
        BcryptPasswordHasher,
        rounds=settings.provided.bcrypt_rounds,
        max_pending=settings.provided.bcrypt_max_pending,
    )
    password_blocklist = providers.Singleton(ZxcvbnPasswordBlocklist)
    token_service = providers.Singleton(
        JwtTokenService,
        secret=settings.provided.jwt_secret,
        clock=clock,
        access_ttl=settings.provided.access_token_ttl,
    )
    rate_limiter = providers.Singleton(_rate_limiter, settings, engine, clock)
    cursor_codec = providers.Singleton(CursorCodec, providers.Callable(_token_secret, settings))
    sync_tokens = providers.Singleton(SyncTokens, providers.Callable(_token_secret, settings))
    session_policy = providers.Singleton(_session_policy, settings)
    mailer = providers.Singleton(_mailer, settings)
    one_time_passwords = providers.Singleton(PyotpPasswords)
    webhook_sender = providers.Singleton(
        HttpWebhookSender, allow_private=settings.provided.webhook_allow_private
    )
    webhook_policy = providers.Singleton(_webhook_policy, settings)
    mail_templates = providers.Singleton(JinjaMailTemplates)
    mail_links = providers.Singleton(MailLinks, settings.provided.public_url)

    register_user = providers.Factory(
        RegisterUser,
        uow=unit_of_work,
        hasher=password_hasher,
        blocklist=password_blocklist,
        clock=clock,
    )
    log_in = providers.Factory(
        LogIn,
        uow=unit_of_work,
        hasher=password_hasher,
        tokens=token_service,
        limiter=rate_limiter,
        clock=clock,
        policy=session_policy,
    )
    refresh_session = providers.Factory(
        RefreshSession, uow=unit_of_work, tokens=token_service, clock=clock, policy=session_policy
    )
    log_out = providers.Factory(LogOut, uow=unit_of_work, tokens=token_service, clock=clock)
    log_out_everywhere = providers.Factory(LogOutEverywhere, uow=unit_of_work, clock=clock)
    authenticate = providers.Factory(
        Authenticate,
        uow=read_unit_of_work,
        tokens=token_service,
        clock=clock,
        writer=unit_of_work,
        limiter=rate_limiter,
        token_rate=providers.Callable(_api_token_rate, settings),
        cache=credential_cache,
    )
    create_api_token = providers.Factory(CreateApiToken, uow=unit_of_work, clock=clock)
    list_api_tokens = providers.Factory(ListApiTokens, uow=read_unit_of_work)
    revoke_api_token = providers.Factory(RevokeApiToken, uow=unit_of_work)
    update_profile = providers.Factory(UpdateProfile, uow=unit_of_work, clock=clock)
    change_password = providers.Factory(
        ChangePassword,
        uow=unit_of_work,
        hasher=password_hasher,
        blocklist=password_blocklist,
        clock=clock,
        limiter=rate_limiter,
        tokens=token_service,
        policy=session_policy,
    )
    deliver_mail = providers.Factory(
        DeliverMail,
        uow=unit_of_work,
        mailer=mailer,
        templates=mail_templates,
        clock=clock,
        links=mail_links,
    )
    verify_email = providers.Factory(VerifyEmail, uow=unit_of_work, clock=clock)
    resend_verification = providers.Factory(
        ResendVerification, uow=unit_of_work, clock=clock, limiter=rate_limiter
    )
    request_password_reset = providers.Factory(
        RequestPasswordReset, uow=unit_of_work, clock=clock, limiter=rate_limiter
    )
    reset_password = providers.Factory(
        ResetPassword,
        uow=unit_of_work,
        hasher=password_hasher,
        blocklist=password_blocklist,
        clock=clock,
        limiter=rate_limiter,
    )
    request_email_change = providers.Factory(
        RequestEmailChange,
        uow=unit_of_work,
        hasher=password_hasher,
        clock=clock,
        limiter=rate_limiter,
        tokens=token_service,
        policy=session_policy,
    )
    confirm_email_change = providers.Factory(ConfirmEmailChange, uow=unit_of_work, clock=clock)
    set_up_mfa = providers.Factory(
        SetUpMfa, uow=unit_of_work, clock=clock, passwords=one_time_passwords
    )
    enable_mfa = providers.Factory(
        EnableMfa, uow=unit_of_work, clock=clock, passwords=one_time_passwords
    )
    complete_mfa_login = providers.Factory(
        CompleteMfaLogin,
        uow=unit_of_work,
        tokens=token_service,
        limiter=rate_limiter,
        clock=clock,
        policy=session_policy,
        passwords=one_time_passwords,
    )
    disable_mfa = providers.Factory(
        DisableMfa,
        uow=unit_of_work,
        hasher=password_hasher,
        clock=clock,
        limiter=rate_limiter,
        tokens=token_service,
        policy=session_policy,
        passwords=one_time_passwords,
    )
    export_account = providers.Factory(ExportAccount, uow=unit_of_work, clock=clock)
    delete_account = providers.Factory(
        DeleteAccount,
        uow=unit_of_work,
        hasher=password_hasher,
        limiter=rate_limiter,
        tokens=token_service,
        policy=session_policy,
    )
    list_sessions = providers.Factory(ListSessions, uow=read_unit_of_work, clock=clock)
    revoke_session = providers.Factory(RevokeSession, uow=unit_of_work, clock=clock)

    create_task = providers.Factory(CreateTask, uow=unit_of_work, clock=clock)
    get_task = providers.Factory(GetTask, uow=read_unit_of_work)
    sync_tasks = providers.Factory(
        SyncTasks,
        uow=unit_of_work,
        clock=clock,
        tokens=sync_tokens,
        tombstone_days=settings.provided.sync_tombstone_days,
    )
    forget_old_deletions = providers.Factory(
        ForgetOldDeletions,
        uow=unit_of_work,
        clock=clock,
        tombstone_days=settings.provided.sync_tombstone_days,
    )
    list_tasks = providers.Factory(
        ListTasks, uow=read_unit_of_work, clock=clock, cursors=cursor_codec
    )
    replace_task = providers.Factory(ReplaceTask, uow=unit_of_work, clock=clock)
    patch_task = providers.Factory(PatchTask, uow=unit_of_work, clock=clock)
    complete_task = providers.Factory(CompleteTask, uow=unit_of_work, clock=clock)
    delete_task = providers.Factory(DeleteTask, uow=unit_of_work, clock=clock)
    assign_tag = providers.Factory(AssignTag, uow=unit_of_work, clock=clock)
    unassign_tag = providers.Factory(UnassignTag, uow=unit_of_work, clock=clock)
    snooze_reminder = providers.Factory(SnoozeReminder, uow=unit_of_work, clock=clock)
    fire_reminders = providers.Factory(FireReminders, uow=unit_of_work, clock=clock)

    list_events = providers.Factory(ListEvents, uow=read_unit_of_work)
    measure_backlog = providers.Factory(MeasureBacklog, uow=read_unit_of_work, clock=clock)
    purge_events = providers.Factory(
        PurgeEvents,
        uow=unit_of_work,
        clock=clock,
        retention_days=settings.provided.event_retention_days,
    )
    create_webhook = providers.Factory(
        CreateWebhook, uow=unit_of_work, clock=clock, sender=webhook_sender, policy=webhook_policy
    )
    list_webhooks = providers.Factory(ListWebhooks, uow=read_unit_of_work)
    get_webhook = providers.Factory(GetWebhook, uow=read_unit_of_work)
    update_webhook = providers.Factory(
        UpdateWebhook, uow=unit_of_work, sender=webhook_sender, policy=webhook_policy
    )
    delete_webhook = providers.Factory(DeleteWebhook, uow=unit_of_work)
    list_deliveries = providers.Factory(ListDeliveries, uow=read_unit_of_work)
    test_webhook = providers.Factory(TestWebhook, uow=unit_of_work, clock=clock)
    deliver_webhooks = providers.Factory(
        DeliverWebhooks, uow=unit_of_work, sender=webhook_sender, clock=clock
    )

    create_tag = providers.Factory(CreateTag, uow=unit_of_work, clock=clock)
    list_tags = providers.Factory(ListTags, uow=read_unit_of_work)
    get_tag = providers.Factory(GetTag, uow=read_unit_of_work)
    update_tag = providers.Factory(UpdateTag, uow=unit_of_work, clock=clock)
    delete_tag = providers.Factory(DeleteTag, uow=unit_of_work, clock=clock)


def build_container(settings: Settings) -> Container:
    """Wire the whole service from settings; nothing connects until first used.

    Another Python service can call this and run the use cases in-process, without HTTP:
    `await build_container(settings).register_user().execute(...)`.
    """
    container = Container(settings=settings)
    return container


def build_in_memory_container(clock: Clock | None = None) -> Container:
    """The whole service on the in-memory adapters, reading time only from `clock`.

    For tests of code that uses todo-api: no database, no threads, no environment read. Passwords
    go through a fast fake hasher; token expiry and rate-limit windows follow the clock.
    """
    clock = clock or SystemClock()
    settings = Settings.model_construct(
        app_env="test", jwt_secret_key=SecretStr(secrets.token_hex(32))
    )
    container = Container(settings=settings)
    store = InMemoryStore()
    container.clock.override(providers.Object(clock))
    container.unit_of_work.override(providers.Factory(InMemoryUnitOfWork, store))
    container.read_unit_of_work.override(providers.Factory(InMemoryUnitOfWork, store))
    container.password_hasher.override(providers.Singleton(FakePasswordHasher))
    container.rate_limiter.override(
        providers.Singleton(InMemoryRateLimiter, monotonic=lambda: clock.now().timestamp())
    )
    container.engine.override(providers.Object(None))
    container.mailer.override(providers.Singleton(InMemoryMailer))
    container.webhook_sender.override(providers.Singleton(InMemoryWebhookSender))
    return container


async def close_container(container: Container) -> None:
    """Release what the container opened: the pool, the hashing threads, the Redis client."""
    engine = container.engine()
    if engine is not None:
        await engine.dispose()
    hasher = container.password_hasher()
    if isinstance(hasher, BcryptPasswordHasher):
        hasher.close()
    limiter = container.rate_limiter()
    if isinstance(limiter, RedisRateLimiter):
        await limiter.close()
    sender = container.webhook_sender()
    if isinstance(sender, HttpWebhookSender):
        await sender.close()
