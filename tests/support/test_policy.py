"""The merchant's policy file: the sample loads; malformed files name what is wrong."""

from __future__ import annotations

import pytest

from greencart.errors import ImportFileError
from greencart.support import load_policy, sample_policy_path

GOOD_HEAD = "---\nreturns_window_days: 14\ndelivery_days_min: 1\ndelivery_days_max: 3\n---\n"


def test_sample_policy_loads_with_terms_and_bilingual_clauses():
    policy = load_policy(sample_policy_path())
    assert (policy.returns_window_days, policy.delivery_days_min, policy.delivery_days_max) == (30, 2, 5)
    assert policy.clause("returns", "en").lang == "en" and policy.clause("returns", "zh").lang == "zh"
    assert "food" in policy.non_returnable_categories
    assert policy.handoff_line("zh") != policy.handoff_line("en")


def test_custom_policy(tmp_path):
    path = tmp_path / "p.md"
    path.write_text(GOOD_HEAD + "## returns: Returns\nTwo weeks.\n\n## delivery: Delivery\nFast.\n", encoding="utf-8")
    policy = load_policy(path)
    assert policy.returns_window_days == 14 and [c.clause_id for c in policy.clauses] == ["returns", "delivery"]
    assert policy.clause("returns", "zh").clause_id == "returns"  # falls back to the other language


@pytest.mark.parametrize("text, needle", [
    ("## returns: R\nx\n", "front matter"),
    ("---\nreturns_window_days: 14\n", "not closed"),
    ("---\nreturns_window_days: -3\ndelivery_days_min: 1\ndelivery_days_max: 3\n---\n## a: b\nc\n",
     "returns_window_days"),
    ("---\nreturns_window_days: 14\ndelivery_days_min: 5\ndelivery_days_max: 3\n---\n## a: b\nc\n",
     "delivery_days_min <= delivery_days_max"),
    (GOOD_HEAD + "## not a heading because spaces in id: x\ntext\n", "bad heading"),
    (GOOD_HEAD + "## a: A\ntext\n## a: again\nmore\n", "repeat"),
    (GOOD_HEAD + "## a: A\n\n", "no text"),
    (GOOD_HEAD, "no clauses"),
    ("---\n[unclosed\n---\n## a: b\nc\n", "YAML"),
])
def test_bad_policy_files_say_what_is_wrong(tmp_path, text, needle):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        load_policy(path)
    assert needle in err.value.message and str(path) in err.value.message


def test_policy_not_utf8_or_missing(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes(GOOD_HEAD.encode() + "## a: b\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match="UTF-8"):
        load_policy(path)
    with pytest.raises(ImportFileError, match="cannot read"):
        load_policy(tmp_path / "absent.md")
