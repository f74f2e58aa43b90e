"""The wheel carries the templates and sample plans and works outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT, TEMPLATE_IDS


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    try:
        import hatchling  # noqa: F401
    except ImportError:
        pytest.skip("hatchling er ikke installeret")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    [built] = out.glob("implan-*.whl")
    return built


def test_wheel_contains_templates_schemas_and_samples(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for template_id in TEMPLATE_IDS:
        assert f"tui/_data/schemas/{template_id}.json" in names
    assert "tui/_data/schemas/template.schema.json" in names
    assert "tui/_data/schemas/plan.schema.json" in names
    assert sum(1 for n in names if n.startswith("tui/_data/sample_plans/") and n.endswith(".json")) >= 4


def test_installed_wheel_lists_templates_outside_the_repo(wheel, tmp_path):
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = dict(os.environ, PYTHONPATH=str(unpacked), IMPLAN_DB=str(tmp_path / "db.json"))
    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tui", *a], cwd=tmp_path, env=env, capture_output=True, text=True)

    listed = run("templates")
    assert listed.returncode == 0, listed.stderr
    for template_id in TEMPLATE_IDS:
        assert template_id in listed.stdout
    assert run("demo").returncode == 0
    assert len(run("list").stdout.strip().splitlines()) >= 5


def test_wheel_metadata_names_the_licence_and_classifiers(wheel):
    """What pip show, PyPI and licence scanners read: an SPDX expression (PEP 639) and its text."""
    from email.parser import Parser

    archive = zipfile.ZipFile(wheel)
    [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
    assert metadata["License-Expression"] == "MPL-2.0"
    assert metadata.get_all("License-File") == ["tui/LICENSE.txt"]
    licence = archive.read(name.replace("METADATA", "licenses/tui/LICENSE.txt")).decode("utf-8")
    assert licence.startswith("Mozilla Public License Version 2.0\n")
    classifiers = metadata.get_all("Classifier")
    for expected in ("Natural Language :: Danish", "Environment :: Console", "Topic :: Office/Business",
                     "Programming Language :: Python :: 3.11", "Programming Language :: Python :: 3.13"):
        assert expected in classifiers
    assert metadata["Requires-Python"] == ">=3.11"


def test_installed_metadata_names_the_licence():
    """The installed package (.ci/run installs it, not editable) says the same to importlib.metadata."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        installed = metadata("implan")
    except PackageNotFoundError:
        pytest.skip("implan er ikke installeret")
    assert installed["License-Expression"] == "MPL-2.0"
    assert "Natural Language :: Danish" in installed.get_all("Classifier")
