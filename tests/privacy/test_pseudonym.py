"""Keyed pseudonyms: stable for a key, different under another, key file 0600, created once."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys

import pytest

from greencart.errors import ConfigError
from greencart.privacy import KEY_ENV, Pseudonymiser, load_or_create_key
from greencart.privacy.pseudonym import key_file


def test_pseudonym_is_stable_and_keyed():
    a, b = Pseudonymiser(b"k" * 32), Pseudonymiser(b"j" * 32)
    assert a.pseudonym("U00042") == a.pseudonym("U00042")
    assert a.pseudonym("U00042") != b.pseudonym("U00042")
    assert a.pseudonym("U00042") != a.pseudonym("U00043")
    assert len(a.pseudonym("U00042")) == 64
    # not a plain hash of the id (a dictionary attack would find that)
    assert a.pseudonym("U00042") != hashlib.sha256(b"U00042").hexdigest()
    assert "U00042" not in repr(a) and "kkkk" not in repr(a)


def test_key_file_is_created_once_with_owner_only_permissions(tmp_path):
    key = load_or_create_key(tmp_path)
    path = key_file(tmp_path)
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(tmp_path) == key


def test_key_is_shared_across_processes(tmp_path):
    code = ("import sys; from pathlib import Path; from greencart.privacy import Pseudonymiser; "
            "print(Pseudonymiser.from_env(Path(sys.argv[1]), {}).pseudonym('U1'))")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False, capture_output=True, text=True,
                           timeout=120)
            for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.strip() == Pseudonymiser(load_or_create_key(tmp_path)).pseudonym("U1")


def test_env_key_wins_and_is_checked(tmp_path):
    hex_key = "ab" * 32
    p = Pseudonymiser.from_env(tmp_path, {KEY_ENV: hex_key})
    assert p.key == bytes.fromhex(hex_key) and not key_file(tmp_path).exists()
    with pytest.raises(ConfigError, match="at least 32 characters"):
        Pseudonymiser.from_env(tmp_path, {KEY_ENV: "short"})


def test_readable_key_file_is_refused(tmp_path):
    load_or_create_key(tmp_path)
    key_file(tmp_path).chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_or_create_key(tmp_path)
