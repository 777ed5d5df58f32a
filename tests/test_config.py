"""aims.yaml: defaults, finding the repository, and every way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsctl.config import find_root, parse_config
from aimsctl.errors import ConfigError


def test_defaults_follow_the_contract() -> None:
    config = parse_config(b"version: 1\norganization: Acme\n")
    assert config.risk.likelihood == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert config.risk.severity == ["Negligible", "Minor", "Moderate", "Major", "Severe"]
    assert config.risk.method == "multiply"
    assert [(b.name, b.max) for b in config.risk.bands] == [
        ("low", 4),
        ("medium", 9),
        ("high", 16),
        ("critical", 25),
    ]
    assert config.risk.appetite == "medium"
    assert config.risk.vulnerable_uplift == 0
    assert config.policy("critical").min_oversight == "human-in-the-loop"
    assert config.policy("high").impact_assessment is True
    assert config.policy("medium").review_days == 365
    assert config.policy("low").review_days == 730
    assert config.rules == {}
    assert config.exclude == []


def test_custom_scale_and_matrix() -> None:
    config = parse_config(
        b"version: 1\norganization: Acme\nrisk:\n  likelihood: [Low, High]\n"
        b"  severity: [Minor, Major, Grave]\n  method: matrix\n"
        b"  matrix: [[low, low, high], [low, high, high]]\n"
        b"  bands: [{name: low, max: 2}, {name: high, max: 6}]\n  appetite: low\n"
        b"governance:\n  high: {review_days: 30, impact_assessment: true}\n"
    )
    assert config.risk.matrix == [["low", "low", "high"], ["low", "high", "high"]]
    assert config.policy("low").impact_assessment is False  # unlisted band: no demands


def test_error_names_file_line_and_column() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(b"version: 1\norganization: Acme\nrisk:\n  vulnerable_uplift: -1\n")
    assert str(caught.value).startswith("aims.yaml:4:22: ")


def test_config_with_bad_bytes() -> None:
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        parse_config(b"version: 1\norganization: \xff\n")


def test_find_root_walks_up(tmp_path: Path) -> None:
    (tmp_path / "aims.yaml").write_text("version: 1\norganization: A\n")
    deep = tmp_path / "risks" / "sub"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()


def test_find_root_without_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no aims\.yaml found"):
        find_root(tmp_path)
