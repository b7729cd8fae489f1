"""Table definitions. Schema changes go through a new Alembic revision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ProductRow(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), index=True)
    price: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(40))
    declared_footprint_kg_co2e: Mapped[float | None] = mapped_column(Float)
    declared_footprint_source: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class FootprintRow(Base):
    """The current estimate for a product, recomputed by ``footprints estimate``."""

    __tablename__ = "footprints"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    footprint_kg_co2e: Mapped[float] = mapped_column(Float)
    low_kg_co2e: Mapped[float] = mapped_column(Float)
    high_kg_co2e: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(30), index=True)
    source: Mapped[str] = mapped_column(Text)
    commodity_code: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(DateTime)


class ShopperRow(Base):
    __tablename__ = "shoppers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str | None] = mapped_column(String(80))
    segment: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(40))


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("shoppers.id", ondelete="SET NULL"), index=True
    )
    ordered_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    country: Mapped[str | None] = mapped_column(String(80))
    is_return: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(40))


class OrderLineRow(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "product_id", "unit_price"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[float] = mapped_column(Float)


class InteractionRow(Base):
    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", "kind", "occurred_at"),
        Index("ix_interactions_time", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float, default=1.0)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(40))


class ReferenceFootprintRow(Base):
    """One product-level PCF from a reference set (e.g. the Carbon Catalogue)."""

    __tablename__ = "reference_footprints"
    __table_args__ = (UniqueConstraint("dataset", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(60), index=True)
    external_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(400))
    detail: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(80))
    year: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    footprint_kg_co2e: Mapped[float] = mapped_column(Float)
    citation: Mapped[str] = mapped_column(Text)


class SpendFactorRow(Base):
    """Spend-based factor: kg CO2e per unit of currency in a base year."""

    __tablename__ = "spend_factors"
    __table_args__ = (UniqueConstraint("dataset", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(60), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    kg_co2e_per_unit: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    price_year: Mapped[int] = mapped_column(Integer)
    citation: Mapped[str] = mapped_column(Text)


class ImportRunRow(Base):
    """What each import read, kept and dropped: the audit trail of the data."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[dict] = mapped_column(JSON)


class EnergyLedgerRow(Base):
    """One metered work unit (a request, a batch, a training run)."""

    __tablename__ = "energy_ledger"
    __table_args__ = (Index("ix_energy_ledger_name_time", "name", "started_at"),
                      Index("ix_energy_ledger_started_at", "started_at"))  # the dashboard's time windows

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    tags: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    duration_s: Mapped[float] = mapped_column(Float)
    cpu_s: Mapped[float] = mapped_column(Float)
    energy_j: Mapped[float] = mapped_column(Float)
    energy_low_j: Mapped[float] = mapped_column(Float)
    energy_high_j: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(20))
    meter: Mapped[str] = mapped_column(String(80))
    carbon_g: Mapped[float] = mapped_column(Float)
    intensity_g_per_kwh: Mapped[float] = mapped_column(Float)
    intensity_source: Mapped[str] = mapped_column(String(200))


class ConversationRow(Base):
    """One assistant session as stored: no raw user id (a keyed pseudonym), no raw text."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the session id
    user_pseudonym: Mapped[str | None] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    lang: Mapped[str] = mapped_column(String(8))
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    energy_j_total: Mapped[float] = mapped_column(Float, default=0.0)
    carbon_g_total: Mapped[float] = mapped_column(Float, default=0.0)


class ConversationTurnRow(Base):
    """One redacted turn (shopper or assistant) of a conversation."""

    __tablename__ = "conversation_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    text_redacted: Mapped[str] = mapped_column(Text)
    redactions: Mapped[int] = mapped_column(Integer, default=0)
    tier: Mapped[str | None] = mapped_column(String(40))
    energy_j: Mapped[float | None] = mapped_column(Float)
    carbon_g: Mapped[float | None] = mapped_column(Float)
    energy_method: Mapped[str | None] = mapped_column(String(80))
    intent: Mapped[str | None] = mapped_column(String(40))
    product_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ProductDescriptionRow(Base):
    """A generated product description, cached per product version and language."""

    __tablename__ = "product_descriptions"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))  # hash of the product data, template and polish settings
    text: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(200))
    energy_j: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime)
class RoutePlanRow(Base):
    """A delivery plan the merchant saved for a day (greencart.ops.routing); the routes are JSON."""

    __tablename__ = "route_plans"
    __table_args__ = (Index("ix_route_plans_day_fleet", "day", "fleet"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[str] = mapped_column(String(10))  # ISO date of the orders planned
    fleet: Mapped[str] = mapped_column(String(80))
    method: Mapped[str] = mapped_column(String(40))
    stops: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[float] = mapped_column(Float)
    co2e_kg: Mapped[float] = mapped_column(Float)
    plan: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
class DataKeyRow(Base):
    """A data key (AES-256) of one owner (a shopper's pseudonym or an anonymous session),
    wrapped by a master key that never enters the database. Deleting it crypto-shreds
    every ciphertext made with it, in this database and in every copy of its rows."""

    __tablename__ = "data_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, says nothing of the owner
    owner: Mapped[str] = mapped_column(String(80), index=True)  # "u:<pseudonym>" or "s:<session id>"
    master_key_id: Mapped[str] = mapped_column(String(16), index=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)  # readable, no longer used to write


class ErasureLogRow(Base):
    """What an erasure or a retention purge removed: counts and times, no personal data
    (no id, no pseudonym: the erased key's random id is kept only as a receipt)."""

    __tablename__ = "erasure_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # "forget" or "retention"
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    keys_shredded: Mapped[int] = mapped_column(Integer, default=0)
    rows_deleted: Mapped[dict] = mapped_column(JSON, default=dict)  # table -> count
    note: Mapped[str] = mapped_column(String(300), default="")
class ForecastRunRow(Base):
    """One forecast (or forecast evaluation) run of ``greencart.ops``, with the energy it took."""

    __tablename__ = "ops_forecast_runs"
    __table_args__ = (Index("ix_ops_forecast_runs_level_time", "level", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # forecast | evaluate
    created_at: Mapped[datetime] = mapped_column(DateTime)
    level: Mapped[str] = mapped_column(String(20))
    freq: Mapped[str] = mapped_column(String(8))
    model: Mapped[str] = mapped_column(String(60))
    horizon: Mapped[int] = mapped_column(Integer)
    n_series: Mapped[int] = mapped_column(Integer)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    duration_s: Mapped[float] = mapped_column(Float)
    energy_j: Mapped[float] = mapped_column(Float)
    energy_low_j: Mapped[float] = mapped_column(Float)
    energy_high_j: Mapped[float] = mapped_column(Float)
    energy_method: Mapped[str] = mapped_column(String(20))


class ForecastPointRow(Base):
    """One forecast step of one series in a run: the mean and its prediction intervals."""

    __tablename__ = "ops_forecast_points"
    __table_args__ = (UniqueConstraint("run_id", "series_id", "ds"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ops_forecast_runs.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[str] = mapped_column(String(200), index=True)
    ds: Mapped[datetime] = mapped_column(DateTime)
    mean: Mapped[float] = mapped_column(Float)
    lo_80: Mapped[float | None] = mapped_column(Float)
    hi_80: Mapped[float | None] = mapped_column(Float)
    lo_95: Mapped[float | None] = mapped_column(Float)
    hi_95: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(String(200))  # e.g. a fallback's reason


class PlanRow(Base):
    """A production or replenishment plan: what went in, what came out, solver status, energy of the run."""

    __tablename__ = "ops_plans"
    __table_args__ = (Index("ix_ops_plans_kind_time", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # production | replenishment
    created_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(40))
    objective: Mapped[float | None] = mapped_column(Float)
    request: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    duration_s: Mapped[float] = mapped_column(Float)
    energy_j: Mapped[float] = mapped_column(Float)
    energy_low_j: Mapped[float] = mapped_column(Float)
    energy_high_j: Mapped[float] = mapped_column(Float)
    energy_method: Mapped[str] = mapped_column(String(20))


# -- scale-out: state shared by many API workers (greencart.scale, docs/scaling.md) --------------
class DialogueSessionRow(Base):
    """One live dialogue state (DialogueState.to_dict() as JSON), shared by every API worker."""

    __tablename__ = "dialogue_sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict] = mapped_column(JSON)
    updated_s: Mapped[float] = mapped_column(Float, index=True)  # unix seconds; TTL by this


class SemanticCacheRow(Base):
    """One resolved turn of the shared semantic cache (pickled slots + payload, float32 vector)."""

    __tablename__ = "semantic_cache"
    __table_args__ = (
        UniqueConstraint("state_key", "version", "norm_text", name="uq_semantic_cache_turn"),
        Index("ix_semantic_cache_created_s", "created_s"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    state_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    norm_text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_s: Mapped[float] = mapped_column(Float)


class WorkerEnergyRow(Base):
    """One API worker's cumulative energy counters, published every few seconds."""

    __tablename__ = "worker_energy"

    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    meter: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(32))
    started_s: Mapped[float] = mapped_column(Float)
    updated_s: Mapped[float] = mapped_column(Float)
    windows: Mapped[int] = mapped_column(Integer)
    total_j: Mapped[float] = mapped_column(Float)
    attributed_j: Mapped[float] = mapped_column(Float)
    unattributed_j: Mapped[float] = mapped_column(Float)
    idle_j: Mapped[float] = mapped_column(Float)
