"""The Presidio parts greencart uses, built offline: blank spaCy pipelines saved
to disk and loaded by path, pattern recognizers only, restricted to the
entities we redact (see ``ENTITIES``).

Everything here imports presidio, spaCy and tldextract inside functions: importing
this module loads nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Presidio entity -> the placeholder written in its place.
PLACEHOLDERS: dict[str, str] = {
    "EMAIL_ADDRESS": "<EMAIL>",
    "PHONE_NUMBER": "<PHONE>",
    "CREDIT_CARD": "<CARD>",
    "IBAN_CODE": "<IBAN>",
    "IP_ADDRESS": "<IP>",
}
ENTITIES: tuple[str, ...] = tuple(PLACEHOLDERS)
# Languages with a pipeline: "en" for Latin-script text, "zh" for text with CJK characters.
LANGUAGES: tuple[str, ...] = ("en", "zh")
# Regions python-phonenumbers tries (Presidio's default lacks CN): the shops' locales.
PHONE_REGIONS: tuple[str, ...] = ("GB", "US", "CN", "DE", "FR", "IE")
_OPTIONAL_ML = ("torch", "transformers", "stanza", "spacy_huggingface_pipelines")
# A mainland-China mobile: 1[3-9]x xxxx xxxx, optionally +86 / 0086, spaces or dashes
# between groups. Lookarounds, not \b: a CJK character next to a digit is no word boundary.
CN_MOBILE_REGEX = r"(?<![\d+])(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"


def blank_pipeline(cache_dir: Path, lang: str) -> Path:
    """A blank spaCy pipeline for ``lang`` saved under ``cache_dir`` (written once,
    atomically), so that Presidio loads it by path and never downloads a model."""
    import spacy

    target = Path(cache_dir) / f"spacy-blank-{lang}-{spacy.__version__}"
    if (target / "config.cfg").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".blank-{lang}-"))
    try:
        spacy.blank(lang).to_disk(tmp)
        try:
            os.replace(tmp, target)
        except OSError:  # another process won the race: keep theirs
            if not (target / "config.cfg").exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _offline_email_recognizer(lang: str) -> Any:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    # No suffix-list download and no cache writes: the snapshot bundled with tldextract.
    extractor = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> bool:
            return extractor(pattern_text).fqdn != ""

    return OfflineEmailRecognizer(supported_language=lang)


def recognizers_for(lang: str) -> list[Any]:
    """Pattern recognizers for ``lang``: e-mail, phone (+ CN mobile), Luhn-checked
    card, checksummed IBAN, IP. No NER recognizer: the pipeline is blank."""
    from presidio_analyzer import Pattern, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
    )

    cn_mobile = PatternRecognizer(
        supported_entity="PHONE_NUMBER",
        name="CnMobileRecognizer",
        supported_language=lang,
        patterns=[Pattern("cn_mobile", CN_MOBILE_REGEX, 0.6)],
        context=["手机", "电话", "mobile", "phone"],
    )
    return [
        _offline_email_recognizer(lang),
        # leniency 2 (phonenumbers' VALID): at the loosest setting DE/CN read price ranges and
        # footprint bands ("16.99 and 35.99", "3.34–7.55") as phone numbers.
        PhoneRecognizer(supported_language=lang, supported_regions=PHONE_REGIONS, leniency=2),
        cn_mobile,
        CreditCardRecognizer(supported_language=lang),
        IbanRecognizer(supported_language=lang),
        IpRecognizer(supported_language=lang),
    ]


@contextmanager
def _without_optional_ml_imports() -> Iterator[None]:
    """presidio_analyzer imports transformers (and through it torch) when installed,
    only to offer engines we never use: ~10 s and a torch import on the serving
    path. While the engines are built, modules not yet imported by anyone are made
    unimportable (``sys.modules[name] = None``, which presidio treats as absent)."""
    blocked = [m for m in _OPTIONAL_ML if m not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def build_engines(cache_dir: Path) -> tuple[Any, Any]:
    """(AnalyzerEngine, AnonymizerEngine) over blank pipelines under ``cache_dir``."""
    with _without_optional_ml_imports():
        return _build_engines(cache_dir)


def _build_engines(cache_dir: Path) -> tuple[Any, Any]:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_anonymizer import AnonymizerEngine

    models = [{"lang_code": lang, "model_name": str(blank_pipeline(cache_dir, lang))} for lang in LANGUAGES]
    nlp = SpacyNlpEngine(models=models)
    registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    for lang in LANGUAGES:
        for recognizer in recognizers_for(lang):
            registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=list(LANGUAGES))
    return analyzer, AnonymizerEngine()
