"""The README documents what the code declares (a test fails when a setting goes undocumented)."""

from panya.settings import Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    missing = [
        f"PANYA_{name.upper()}" for name in Settings.model_fields if f"PANYA_{name.upper()}" not in README
    ]
    assert not missing


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    assert "make run" in README and "make test" in README
    assert "make test" in (REPO / ".ci/run").read_text()
