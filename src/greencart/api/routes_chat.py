"""The assistant's endpoints: ``POST /v1/chat`` (JSON, or server-sent events) and
``GET /v1/sessions/{id}``. The assistant lives on ``app.state.assistant``, built
by the composition root (``greencart.bootstrap``, from ``app.state.services``) at
start-up, or on first use where an app mounts this router without it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from greencart.api.errors import ERROR_RESPONSES
from greencart.api.params import MAX_ID, TEXT_PATTERN
from greencart.assistant import Assistant, TurnResult

router = APIRouter(prefix="/v1", tags=["assistant"], responses=ERROR_RESPONSES)
SESSION_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # greencart.assistant.state.check_session_id
# The assistant drops control, format and unassigned characters before reading a turn; a
# message must keep something readable after that: a letter or digit (Latin, Cyrillic, CJK).
MESSAGE_PATTERN = r"[0-9A-Za-z\u00C0-\u024F\u0400-\u04FF\u3041-\u3096\u30A1-\u30FA\u4E00-\u9FA5]"
_build_lock = threading.Lock()


class ChatIn(BaseModel):
    message: str = Field(min_length=1, max_length=2000, pattern=MESSAGE_PATTERN,
                         description="The shopper's turn (English or Chinese): some letters or digits")
    session: str | None = Field(default=None, pattern=SESSION_PATTERN, description="Omit to start one")
    user: str | None = Field(default=None, min_length=1, max_length=128, pattern=TEXT_PATTERN,
                             description="A known shopper id")
    eco: float | None = Field(default=None, ge=0, le=1, strict=True,  # a number: not true/false, not "0.5"
                              description="0 = relevance only, 1 = lowest footprint first")


class ChatProduct(BaseModel):
    id: str
    title: str
    price: float
    currency: str
    footprint_kg_co2e: float | None
    footprint_low: float | None
    footprint_high: float | None
    footprint_method: str | None


class TurnEnergy(BaseModel):
    energy_j: float
    carbon_g: float
    method: str


class ChatOut(BaseModel):
    reply: str
    products: list[ChatProduct]
    tier: str
    energy: TurnEnergy
    session: str
    intent: str
    confidence: float
    latency_ms: float
    model_calls: list[str] = []  # language-model calls made this turn, accepted or not


def get_assistant(request: Request) -> Assistant:
    state = request.app.state
    assistant = getattr(state, "assistant", None)
    if assistant is None:
        with _build_lock:
            assistant = getattr(state, "assistant", None)
            if assistant is None:
                assistant = state.assistant = state.services.assistant()
    return assistant


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def sse_events(result: TurnResult) -> Iterator[str]:
    """products, then the reply as token events, then done (tier, energy, timings)."""
    yield _sse("products", {"products": result.products})
    for token in re.findall(r"\S+\s*|\s+", result.reply):
        yield _sse("token", {"text": token})
    yield _sse("done", {"tier": result.tier, "energy": result.energy, "session": result.session,
                        "intent": result.intent, "confidence": result.confidence,
                        "model_calls": result.model_calls, "timings": {"turn_ms": result.latency_ms}})


@router.post(
    "/chat",
    response_model=ChatOut,
    summary="One shopper turn; JSON, or server-sent events with Accept: text/event-stream",
    responses={200: {
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
        "links": {"GetSession": {"operationRef": "#/paths/~1v1~1sessions~1{session_id}/get",
                                 "parameters": {"session_id": "$response.body#/session"}}},
    }},
)
def chat(request: Request, body: ChatIn) -> Any:
    result = get_assistant(request).turn(body.message, session=body.session, user=body.user, eco=body.eco)
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(sse_events(result), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    return result.to_dict()


@router.get("/sessions/{session_id}", summary="A conversation's state: constraints, shown products, turns")
def get_session(
    request: Request,
    session_id: str = Path(min_length=1, max_length=MAX_ID, pattern=SESSION_PATTERN,
                           description="The session id a chat turn returned"),
) -> dict[str, Any]:
    return get_assistant(request).session(session_id)
