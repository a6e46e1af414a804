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


@pytest.mark.parametrize("profile", [[], ["--profile", "cluster"]], ids=["default", "cluster"])
def test_docker_compose_config_is_valid(profile):
    if not shutil.which("docker-compose"):
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed: `make test` installs it (Debian package)")
        pytest.skip("docker-compose not installed")
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), *profile, "config"],
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


def test_the_cluster_profile_runs_three_joined_peers_with_a_volume_each():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    nodes = {name: spec for name, spec in services.items() if name.startswith("qdrant-node")}
    assert len(nodes) == 3 and all(spec["profiles"] == ["cluster"] for spec in nodes.values())
    assert all(spec["environment"]["QDRANT__CLUSTER__ENABLED"] == "true" for spec in nodes.values())
    assert "--bootstrap" not in nodes["qdrant-node1"]["command"]
    for name in ("qdrant-node2", "qdrant-node3"):
        command = nodes[name]["command"]
        assert command[command.index("--bootstrap") + 1] == "http://qdrant-node1:6335"
    volumes = [spec["volumes"][0].split(":")[0] for spec in nodes.values()]
    assert len(set(volumes)) == 3
    panya = services["panya-cluster"]["environment"]
    assert set(panya) <= {f"PANYA_{name.upper()}" for name in Settings.model_fields}
    assert panya["PANYA_QDRANT_URL"] == "http://qdrant-node1:6333" and "PANYA_QDRANT_REPLICAS" in panya


def test_the_cluster_serves_several_stateless_api_replicas_behind_one_address():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    replicas, gateway = services["panya-cluster"], services["panya-gateway"]
    assert replicas["deploy"]["replicas"] >= 2 and "ports" not in replicas  # reached only through the gateway
    # what one replica writes another must read: the index on the cluster, files on one shared volume
    assert replicas["environment"]["PANYA_QDRANT_URL"].startswith("http://qdrant-node")
    assert [v.split(":")[1] for v in replicas["volumes"]] == [replicas["environment"]["PANYA_DATA_DIR"]]
    assert (
        replicas["healthcheck"] and gateway["depends_on"]["panya-cluster"]["condition"] == "service_healthy"
    )
    mount = gateway["volumes"][0].split(":")[0]
    config = (REPO / mount).read_text()
    assert "server panya-cluster:8000 resolve;" in config and "proxy_pass http://panya;" in config
    assert gateway["ports"] == ["8001:8080"] and "listen 8080;" in config


def test_dockerfile_installs_the_same_pinned_dependencies():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile and "panya" in dockerfile
