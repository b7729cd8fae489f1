"""Redaction of e-mail, phone (UK, US, CN), card (Luhn), IBAN and IP, in English and Chinese."""

from __future__ import annotations

import subprocess
import sys

import pytest

from greencart.errors import InvalidParameter
from greencart.privacy.redact import analysis_view, language_of


@pytest.mark.parametrize(
    ("text", "secret", "placeholder"),
    [
        ("write to jane.doe@example.co.uk please", "jane.doe@example.co.uk", "<EMAIL>"),
        ("call +44 20 7946 0958 tomorrow", "7946 0958", "<PHONE>"),
        ("my mobile is 07911 123456", "07911 123456", "<PHONE>"),
        ("US office (212) 555-0123", "555-0123", "<PHONE>"),
        ("or 415-555-2671", "415-555-2671", "<PHONE>"),
        ("card 4111 1111 1111 1111 expires soon", "4111 1111 1111 1111", "<CARD>"),
        ("mastercard 5555-5555-5555-4444", "5555-5555-5555-4444", "<CARD>"),
        ("pay to GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32", "<IBAN>"),
        ("from 192.168.10.20", "192.168.10.20", "<IP>"),
        ("我的邮箱是wang.wei@example.cn谢谢", "wang.wei@example.cn", "<EMAIL>"),
        ("我的手机13812345678", "13812345678", "<PHONE>"),
        ("电话+86 138 1234 5678", "138 1234 5678", "<PHONE>"),
        ("手机：139-1234-5678。", "139-1234-5678", "<PHONE>"),
        ("卡号4111111111111111，谢谢", "4111111111111111", "<CARD>"),
        ("退款到DE89370400440532013000", "DE89370400440532013000", "<IBAN>"),
        ("全角手机１３８１２３４５６７８", "１３８１２３４５６７８", "<PHONE>"),
    ],
)
def test_personal_data_is_replaced_by_a_typed_placeholder(redactor, text, secret, placeholder):
    out = redactor.redact(text)
    assert secret not in out.text and placeholder in out.text
    assert out.count >= 1


def test_surrounding_chinese_text_is_kept(redactor):
    out = redactor.redact("我的邮箱是wang@example.cn，手机13812345678，想买电水壶")
    assert out.text == "我的邮箱是<EMAIL>，手机<PHONE>，想买电水壶"
    assert out.entities == ("EMAIL_ADDRESS", "PHONE_NUMBER")


def test_invalid_luhn_number_is_left_alone(redactor):
    out = redactor.redact("card 4111 1111 1111 1112 please")
    assert out.text == "card 4111 1111 1111 1112 please" and out.count == 0


def test_shopping_text_is_not_redacted(redactor):
    for text in ("a white t-shirt under 20", "between 20 and 40, size M, UK 9", "buy 3 kettles",
                 "50元以下的红色T恤", "20到40元", "compare 1 and 3",
                 # price ranges and footprint bands were read as DE/CN phone numbers at the loosest leniency
                 "a t-shirt between 16.99 and 35.99", "t-shirts £16.00-£35.00",
                 "footprint 4.02 kg CO2e (range 3.34–7.55, declared)", "range 3.90–6.50",
                 "1. Kettle — £24.99, footprint 12.40 kg CO2e (range 4.13–37.20, spend-based)"):
        assert redactor.redact(text).text == text


def test_hostile_input_redacts_without_error(redactor):
    digits = redactor.redact("1234567890" * 200)
    assert len(digits.text) == 2000
    binaryish = "".join(chr(c) for c in range(1, 0x300)) + "\ufffd\U0001f600 a@b.org"
    out = redactor.redact(binaryish)
    assert "a@b.org" not in out.text and "<EMAIL>" in out.text
    assert redactor.redact("   ").count == 0
    with pytest.raises(InvalidParameter, match="Expected text to redact as str"):
        redactor.redact(b"bytes")  # type: ignore[arg-type]


def test_latency_is_measured(redactor):
    before = redactor.stats()["calls"]
    out = redactor.redact("mail a@b.com")
    assert out.latency_ms > 0 and redactor.stats()["calls"] == before + 1


def test_analysis_view_keeps_offsets():
    text = "邮箱a@b.cn，１３８"
    view = analysis_view(text)
    assert len(view) == len(text) and view.endswith("138") and "a@b.cn" in view
    assert language_of(text) == "zh" and language_of("kettle") == "en"


def test_import_loads_nothing_and_the_engines_bring_no_torch(tmp_path):
    code = (
        "import sys\n"
        "import greencart.privacy\n"
        "assert not [m for m in sys.modules if m.startswith(('presidio', 'spacy'))], 'loaded at import'\n"
        f"r = greencart.privacy.Redactor({str(tmp_path)!r})\n"
        "assert r.redact('a@b.com').text == '<EMAIL>'\n"
        "print(sorted(m for m in ('torch', 'transformers') if sys.modules.get(m) is not None))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
