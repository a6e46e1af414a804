"""docker-compose.yml is valid and speaks the settings class's variable names."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from panya.settings import Settings
from tests.conftest import REPO

COMPOSE = REPO / "docker-compose.yml"


def test_docker_compose_config_is_valid():
    if not shutil.which("docker-compose"):
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed: `make test` installs it (Debian package)")
        pytest.skip("docker-compose not installed")
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_compose_uses_only_variables_the_settings_class_declares():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    panya = services["panya"]["environment"]
    declared = {f"PANYA_{name.upper()}" for name in Settings.model_fields}
    assert set(panya) <= declared
    assert panya["PANYA_QDRANT_URL"] == "http://qdrant:6333"
    assert "healthcheck" in services["qdrant"] and services["qdrant"]["volumes"]


def test_dockerfile_installs_the_same_pinned_dependencies():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile and "panya" in dockerfile
