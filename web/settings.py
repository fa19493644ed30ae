"""Settings, environment first (pydantic-settings). Nothing here connects to anything."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a Careline process can be told. Environment variables use the names below
    upper-cased (``DATABASE_URL``, ``REDIS_URL``, ``CARELINE_SECRET`` ...)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", alias="CARELINE_HOST")
    port: int = Field(default=8080, alias="CARELINE_PORT")
    database_url: str = Field(default="sqlite+aiosqlite:///careline.db", alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    # Prefix of every Redis key and pub/sub channel: deployments sharing one Redis stay apart.
    redis_prefix: str = Field(default="careline", alias="REDIS_PREFIX")
    # Signs CSR tokens and visitor tokens. A random one per process is only fit for a demo:
    # with several processes every one of them must be given the same secret.
    secret: str = Field(default_factory=lambda: secrets.token_urlsafe(32), alias="CARELINE_SECRET")
    # Shared with the storefront, which signs the identity of a signed-in shopper with it.
    storefront_secret: str = Field(default="demo-storefront-secret", alias="STOREFRONT_SECRET")
    # Origins other than the app's own that may open sockets (the storefronts embedding the widget).
    storefront_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="STOREFRONT_ORIGINS"
    )
    # The app's own public origin(s), e.g. https://care.example.com behind a load balancer.
    public_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="PUBLIC_ORIGINS"
    )
    # The key the warehouse and carrier feed sends as ``X-Api-Key`` to the order API's
    # fulfilment endpoints (acting as the system). Unset: only an admin's token works.
    order_api_key: str | None = Field(default=None, alias="ORDER_API_KEY")
    agent_token_ttl_seconds: int = Field(default=12 * 3600, alias="AGENT_TOKEN_TTL")
    visitor_token_ttl_seconds: int = Field(default=30 * 24 * 3600, alias="VISITOR_TOKEN_TTL")
    # How long a CSR may be gone before their open conversations go back to their queues.
    agent_grace_seconds: float = Field(default=60.0, alias="AGENT_GRACE_SECONDS")
    default_max_chats: int = Field(default=3, alias="DEFAULT_MAX_CHATS")
    max_message_chars: int = Field(default=4000, alias="MAX_MESSAGE_CHARS")
    max_frame_bytes: int = Field(default=64 * 1024, alias="MAX_FRAME_BYTES")
    # Token bucket per connection: sustained events per second and burst size.
    rate_per_second: float = Field(default=20.0, alias="RATE_PER_SECOND")
    rate_burst: int = Field(default=40, alias="RATE_BURST")
    static_dir: Path | None = Field(default=None, alias="CARELINE_STATIC_DIR")
    # Demo mode serves the demo storefront, which signs shopper identities itself (a real
    # storefront does that in its own back end).
    demo: bool = Field(default=False, alias="CARELINE_DEMO")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # Outgoing webhooks (docs/webhooks.md): every domain event is POSTed to each of these URLs,
    # signed with the secret. No URLs: no webhook worker runs.
    webhook_urls: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="WEBHOOK_URLS")
    webhook_secret: str | None = Field(default=None, alias="WEBHOOK_SECRET")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120, alias="WEBHOOK_TIMEOUT")
    webhook_max_attempts: int = Field(default=12, ge=1, le=50, alias="WEBHOOK_MAX_ATTEMPTS")

    @field_validator("storefront_origins", "public_origins", mode="before")
    @classmethod
    def _split_csv(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip().rstrip("/") for item in value.split(",") if item.strip()]
        return value

    @field_validator("webhook_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _webhooks_signed(self) -> Self:
        if self.webhook_urls and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET must be set when WEBHOOK_URLS is")
        bad = [
            url
            for url in self.webhook_urls
            if not url.startswith(("http://", "https://")) or len(url) > 500
        ]
        if bad:
            raise ValueError(f"WEBHOOK_URLS must be http(s) URLs (500 characters at most): {bad}")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
