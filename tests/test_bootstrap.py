"""The composition root: one build for the API, the CLI and the benchmarks, from Settings."""

from __future__ import annotations

import pytest

from greencart.bootstrap import build_services, read_options
from greencart.config import Settings
from greencart.errors import StoreError
from greencart.store import open_database


@pytest.fixture
def settings(tmp_path):
    open_database(f"sqlite:///{tmp_path / 'greencart.db'}", migrate=True).dispose()
    return Settings(var_dir=tmp_path)


def test_options_come_from_the_mapping_given_not_the_process_environment(monkeypatch):
    monkeypatch.setenv("GREENCART_LLM_URL", "http://127.0.0.1:9/v1")
    options = read_options({"GREENCART_LOCAL_LLM": "off", "GREENCART_RECOMMEND_ALPHA": "0.4"})
    assert options.llm == () and options.recommend.alpha == 0.4
    remote = read_options({"GREENCART_LOCAL_LLM": "off", "GREENCART_LLM_URL": "http://127.0.0.1:9/v1",
                           "GREENCART_LLM_MODEL": "m"})
    assert [b.name for b in remote.llm] == ["llm-remote"]


def test_services_share_one_started_monitor_and_close_together(settings):
    services = build_services(settings, environ={"GREENCART_LOCAL_LLM": "off"})
    try:
        assert services.monitor._loop.running  # started: turns are metered, not "unmetered"
        assistant = services.assistant(with_history=False)
        assert assistant.monitor is services.monitor
        assert assistant.tools.catalog is services.catalog
        assert services.trained_recommender() is None  # nothing trained under this var dir yet
        assert services.recommender.config.alpha == read_options({}).recommend.alpha
    finally:
        services.close()
    assert not services.monitor._loop.running


def test_model_tiers_reach_the_assistant(settings):
    services = build_services(settings, environ={"GREENCART_LOCAL_LLM": "off",
                                                 "GREENCART_LLM_URL": "http://127.0.0.1:9/v1",
                                                 "GREENCART_LLM_MODEL": "m"})
    try:
        assert [b.name for b in services.assistant(with_history=False).router.backends] == ["llm-remote"]
    finally:
        services.close()


def test_an_unmigrated_database_is_refused_and_nothing_is_left_running(tmp_path):
    with pytest.raises(StoreError):
        build_services(Settings(var_dir=tmp_path / "empty"), environ={"GREENCART_LOCAL_LLM": "off"})
