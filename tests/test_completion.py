"""`implan completion bash|zsh|fish`: the scripts run in the real shells and complete what the
parser has (subcommands, options, choices, files), and no other command pays for generating them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import implan

EXPORT_FORMATS = ["md", "html", "docx", "json"]


@pytest.fixture(scope="module")
def scripts(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("completion")
    paths = {}
    for shell in ("bash", "zsh", "fish"):
        paths[shell] = folder / f"implan.{shell}"
        paths[shell].write_text(implan("completion", shell).stdout, encoding="utf-8")
    return paths


def bash_complete(script: Path, *words: str) -> list[str]:
    """What bash offers for the command line `words` (the last one being completed)."""
    array = " ".join(f"'{w}'" for w in words)
    code = (f"source '{script}'\n"
            f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}\n"
            f"COMP_LINE='{' '.join(words)}'; COMP_POINT=${{#COMP_LINE}}\n"
            "_shtab_implan\n"
            "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash er ikke installeret")
def test_bash_completes_subcommands_options_and_choices(scripts):
    assert bash_complete(scripts["bash"], "implan", "ex") == ["export"]
    assert bash_complete(scripts["bash"], "implan", "export", "--fo") == ["--format"]
    assert bash_complete(scripts["bash"], "implan", "export", "--format", "") == EXPORT_FORMATS
    # The global --db and its file before the command are skipped over.
    assert bash_complete(scripts["bash"], "implan", "--db", "x.json", "export", "--format", "") == EXPORT_FORMATS
    assert bash_complete(scripts["bash"], "implan", "outstanding", "--format", "") == ["text", "md", "json", "ics"]
    assert bash_complete(scripts["bash"], "implan", "completion", "") == ["bash", "zsh", "fish"]
    every = bash_complete(scripts["bash"], "implan", "")
    assert {"list", "export", "outstanding", "set-aside", "completion"} <= set(every)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash er ikke installeret")
def test_bash_completes_file_names_for_path_arguments(scripts):
    """FIL arguments (type=Path) complete file names; a plan reference does not."""
    assert bash_complete(scripts["bash"], "implan", "validate", "sample_pl") == ["sample_plans"]
    assert bash_complete(scripts["bash"], "implan", "export", "PLAN", "-o", "sample_pl") == ["sample_plans"]
    assert bash_complete(scripts["bash"], "implan", "show", "sample_pl") == []


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh er ikke installeret (.ci/run installerer den)")
def test_zsh_parses_the_script_and_finds_it_on_fpath_as_underscore_implan(scripts, tmp_path):
    result = subprocess.run(["zsh", "-n", str(scripts["zsh"])], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    (tmp_path / "_implan").write_bytes(scripts["zsh"].read_bytes())
    code = (f"fpath=('{tmp_path}' $fpath); autoload -U compinit; compinit -u -d '{tmp_path}/zcompdump'\n"
            "print -r -- ${_comps[implan]}")
    result = subprocess.run(["zsh", "-f", "-c", code], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, HOME=str(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "_implan"
    text = scripts["zsh"].read_text(encoding="utf-8")
    assert "export:'eksportér en plan som" in text  # the Danish help describes each subcommand


def fish_complete(script: Path, line: str) -> list[str]:
    result = subprocess.run(["fish", "--no-config", "-c", f"source '{script}'; complete -C '{line}'"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish er ikke installeret (.ci/run installerer den)")
def test_fish_parses_the_script_and_completes_with_danish_descriptions(scripts):
    result = subprocess.run(["fish", "--no-config", "-n", str(scripts["fish"])], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert fish_complete(scripts["fish"], "implan ex") == ["export\teksportér en plan som Markdown, HTML, Word eller JSON"]
    assert [c.split("\t")[0] for c in fish_complete(scripts["fish"], "implan export --fo")] == ["--format"]
    assert [c.split("\t")[0] for c in fish_complete(scripts["fish"], "implan export --format ")] == EXPORT_FORMATS
    assert fish_complete(scripts["fish"], "implan validate sample_pl") == ["sample_plans/"]


def test_an_unknown_shell_is_refused_in_danish():
    result = implan("completion", "tcsh", check=False)
    assert result.returncode == 2
    assert "ugyldigt valg: 'tcsh' (vælg mellem 'bash', 'zsh', 'fish')" in result.stderr
    assert result.stdout == ""


def test_other_commands_do_not_import_shtab():
    code = ("import sys\nfrom tui.cli import main\nmain(['list'])\n"
            "print('shtab' in sys.modules, 'tui.completion' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False False"
