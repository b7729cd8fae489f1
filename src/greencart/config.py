"""Settings, read from the environment (prefix ``GREENCART_``) when asked.

Nothing here runs at import: the CLI and ``create_app()`` call
``Settings.from_env()`` and pass the result down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from greencart.errors import ConfigError

ENV_PREFIX = "GREENCART_"


@dataclass(frozen=True)
class Settings:
    """Where greencart keeps its state and how it serves.

    ``var_dir`` holds the embedded SQLite database and the search index.
    ``database_url`` defaults to SQLite under ``var_dir``; set
    ``GREENCART_DATABASE_URL=postgresql+psycopg://...`` for PostgreSQL.
    """

    var_dir: Path = Path("var")
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    index_dir: Path = field(default=Path(""))
    # The merchant's customer-service policy (docs/customer-service.md); None = the shipped sample.
    policy_file: Path | None = None

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{self.var_dir / 'greencart.db'}")
        if str(self.index_dir) in ("", "."):
            object.__setattr__(self, "index_dir", self.var_dir / "index")
        if not (0 < self.port < 65536):
            raise ConfigError(f"Expected GREENCART_PORT in [1, 65535], got {self.port}")
        if "://" not in self.database_url:
            raise ConfigError(
                f"Expected GREENCART_DATABASE_URL like sqlite:///var/greencart.db or "
                f"postgresql+psycopg://user@host/db, got {self.database_url!r}"
            )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if environ is None else environ
        kwargs: dict[str, object] = {}
        if v := env.get(ENV_PREFIX + "VAR_DIR"):
            kwargs["var_dir"] = Path(v)
        if v := env.get(ENV_PREFIX + "DATABASE_URL"):
            kwargs["database_url"] = v
        if v := env.get(ENV_PREFIX + "HOST"):
            kwargs["host"] = v
        if v := env.get(ENV_PREFIX + "PORT"):
            try:
                kwargs["port"] = int(v)
            except ValueError:
                raise ConfigError(f"Expected GREENCART_PORT to be an integer, got {v!r}") from None
        if v := env.get(ENV_PREFIX + "INDEX_DIR"):
            kwargs["index_dir"] = Path(v)
        if v := env.get(ENV_PREFIX + "POLICY_FILE"):
            kwargs["policy_file"] = Path(v)
        kwargs.update({k: val for k, val in overrides.items() if val is not None})
        return cls(**kwargs)  # type: ignore[arg-type]

    def with_overrides(self, **overrides: object) -> "Settings":
        return replace(self, **overrides)  # type: ignore[arg-type]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
