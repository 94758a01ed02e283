"""Settings from environment variables (pydantic-settings), with defaults that work on one machine.

Platform-wide settings are read with the prefix `BUURTWERK_` (broker, auth, environment); each
service adds its own with its prefix (`MEALS_`, `VOLUNTEERS_`, `COURSES_`, `REPORTING_`).
"""

from typing import Literal, Self
from urllib.parse import unquote, urlsplit

from pydantic import AwareDatetime, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from buurtwerk_shared.contracts.publishers import GUEST, PUBLISHER_ACCOUNTS

# Only accepted when BUURTWERK_ENVIRONMENT=development; production refuses to start with it.
DEV_SIGNING_KEY = "buurtwerk-development-signing-key-never-use-in-production"
DEV_ISSUER = "buurtwerk-dev"
DEV_PSEUDONYM_SECRET = "buurtwerk-development-pseudonym-secret-never-in-production"
MIN_PSEUDONYM_SECRET_LENGTH = 32


class AuthSettings(BaseModel):
    """Bearer-token verification: the city's identity provider, or a local dev key."""

    issuer: str = DEV_ISSUER
    audience: str = "buurtwerk"
    # Production: one of these names the identity provider's keys.
    jwks_url: str | None = None
    public_key: str | None = Field(default=None, description="PEM public key of the issuer")
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])
    # Development: tokens signed with this shared key (HS256), e.g. by `make token`.
    dev_signing_key: SecretStr | None = SecretStr(DEV_SIGNING_KEY)


class HttpLimits(BaseModel):
    """How a request may arrive (`buurtwerk_shared.service.door`), per process."""

    # The request line and headers: a token is about 1 KB, an identity provider's up to a few.
    max_header_bytes: int = Field(default=32_768, ge=4096, le=1_048_576)
    # Head and body must arrive within this, counted from the request's first byte.
    read_seconds: float = Field(default=20.0, gt=0, le=300)
    # Connections and requests in progress; beyond it a new request gets 503 at once.
    max_connections: int = Field(default=500, ge=10)
    # An idle kept-alive connection is closed after this.
    keep_alive_seconds: int = Field(default=5, ge=1, le=300)


class MailSettings(BaseModel):
    """The SMTP server the services hand their mail to (`buurtwerk_shared.mail`). In development
    it is the local mail catcher that `make run` starts; in compose, Mailpit."""

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    # STARTTLS before authenticating (a city relay); the catcher speaks plain SMTP.
    start_tls: bool = False
    username: str | None = None
    password: SecretStr | None = None
    from_address: str = "Buurtwerk <no-reply@buurtwerk.invalid>"
    # One SMTP conversation may take this long before it counts as failed (and is retried).
    timeout_seconds: float = Field(default=15.0, gt=0, le=300)


class PlatformSettings(BaseSettings):
    """Settings every service shares (prefix `BUURTWERK_`, nested with `__`)."""

    model_config = SettingsConfigDict(
        env_prefix="BUURTWERK_", env_nested_delimiter="__", extra="ignore"
    )

    environment: Literal["development", "production"] = "development"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # Prepended to every exchange and queue name: isolates tests and shared brokers.
    topology_prefix: str = ""
    # The broker account of each event source (`contracts.publishers`), for a broker that names
    # its accounts otherwise: consumers accept an event only with its source's account as user_id.
    publisher_accounts: dict[str, str] = Field(default_factory=lambda: dict(PUBLISHER_ACCOUNTS))
    log_level: str = "INFO"
    # Larger request bodies are refused with 413; the largest real one is a few kilobytes.
    max_request_bytes: int = Field(default=262_144, ge=1024)
    # From SIGTERM to exit, whatever is unreachable (`buurtwerk_shared.service.stopping`); well
    # inside the 30 s compose and Kubernetes wait before SIGKILL.
    stop_grace_seconds: float = Field(default=10.0, ge=5.0, le=120.0)
    # Development and tests: the process's clock starts at this instant (`buurtwerk_shared.clock`).
    clock_start: AwareDatetime | None = None
    auth: AuthSettings = Field(default_factory=AuthSettings)
    http: HttpLimits = Field(default_factory=HttpLimits)
    mail: MailSettings = Field(default_factory=MailSettings)
    # Origins the pages and apps may call besides their own service, e.g. the identity provider
    # they log in at (`["https://login.leuven.be"]`): the Content-Security-Policy's connect-src.
    csp_connect_sources: list[str] = Field(default_factory=list)
    # Where each web app is (`BUURTWERK_APP_URLS='{"kitchen": "https://…/kitchen/"}'`): every
    # app links to the others its user's role may use. By default, the local services' ports.
    app_urls: dict[str, str] = Field(
        default_factory=lambda: {
            "kitchen": "http://127.0.0.1:8001/kitchen/",
            "volunteers": "http://127.0.0.1:8002/coordinator/",
            "courses": "http://127.0.0.1:8003/coordinator/",
            "dashboard": "http://127.0.0.1:8004/dashboard/",
        }
    )

    @field_validator("publisher_accounts")
    @classmethod
    def _every_source_has_its_account(cls, accounts: dict[str, str]) -> dict[str, str]:
        unknown = set(accounts) - set(PUBLISHER_ACCOUNTS)
        if unknown:
            raise ValueError(
                f"unknown event sources {sorted(unknown)}; known: {list(PUBLISHER_ACCOUNTS)}"
            )
        return {**PUBLISHER_ACCOUNTS, **accounts}

    @property
    def broker_user(self) -> str:
        """The broker account this process connects as (the `user_id` of what it publishes)."""
        return unquote(urlsplit(self.amqp_url).username or GUEST)

    @model_validator(mode="after")
    def _production_needs_real_keys(self) -> Self:
        if self.environment == "production":
            if self.clock_start is not None:
                raise ValueError("BUURTWERK_CLOCK_START is for development only")
            if not (self.auth.jwks_url or self.auth.public_key):
                raise ValueError(
                    "BUURTWERK_AUTH__JWKS_URL or BUURTWERK_AUTH__PUBLIC_KEY "
                    "is required in production"
                )
            self.auth.dev_signing_key = None
        return self


class ServiceSettings(BaseSettings):
    """Settings of one service; subclasses set the env prefix and the defaults."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str
    http_host: str = "127.0.0.1"
    http_port: int
    db_pool_size: int = 10
    outbox_batch_size: int = Field(default=500, ge=1, le=5000)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    consumer_batch_size: int = Field(default=500, ge=1, le=5000)
    delivery_limit: int = Field(default=5, ge=1, le=100)
    # How often the depth of the service's consumer queues and dead-letter queues is sampled.
    queue_sample_seconds: float = Field(default=15.0, gt=0)
    # Stored idempotent responses are kept this long (longer than any till stays offline), and
    # swept this often.
    idempotency_keep_days: float = Field(default=7.0, gt=0)
    idempotency_sweep_seconds: float = Field(default=3600.0, gt=0)
    # Keyed-hash secrets of the pseudonyms, current first (see `buurtwerk_shared.pseudonyms`).
    pseudonym_secrets: list[SecretStr] = Field(
        default_factory=lambda: [SecretStr(DEV_PSEUDONYM_SECRET)], min_length=1
    )
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @model_validator(mode="after")
    def _production_needs_own_pseudonym_secret(self) -> Self:
        if self.platform.environment != "production":
            return self
        for secret in (s.get_secret_value() for s in self.pseudonym_secrets):
            if secret == DEV_PSEUDONYM_SECRET:
                raise ValueError(
                    "set <SERVICE>_PSEUDONYM_SECRETS: the development secret is refused"
                )
            if "CHANGE-ME" in secret:
                raise ValueError(
                    "<SERVICE>_PSEUDONYM_SECRETS still holds the example from deploy/env.example"
                )
            # A short secret can be guessed, and with it every card number behind a lookup.
            if len(secret) < MIN_PSEUDONYM_SECRET_LENGTH:
                raise ValueError(
                    f"every <SERVICE>_PSEUDONYM_SECRETS entry needs at least "
                    f"{MIN_PSEUDONYM_SECRET_LENGTH} characters (e.g. `openssl rand -hex 32`)"
                )
        return self
