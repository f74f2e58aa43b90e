"""The export formats' table, the atomic writers, argparse in Danish, and store errors worded per side."""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_sample, sample_files
from tui.cli import build_parser, describe_error, main
from tui.cli_parser import DASH_HINT, danish
from tui.core import formats
from tui.fileio import TEMP_PREFIX, atomic_write_bytes, atomic_write_text
from tui.store import errors


def export_action(parser: argparse.ArgumentParser, command: str, option: str):
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return next(a for a in sub.choices[command]._actions if option in a.option_strings)


def test_the_cli_offers_exactly_the_registered_formats():
    assert list(export_action(build_parser(), "export", "--format").choices) == list(formats.names())
    for fmt in formats.FORMATS:
        assert build_parser().parse_args(["export", "x", "--format", fmt.name]).format == fmt.name
        for suffix in fmt.suffixes:
            assert formats.for_path(Path(f"plan.{suffix.upper()}")) is fmt
    assert formats.for_path(Path("plan.txt")) is None


def test_the_export_screen_offers_the_registered_formats():
    from tui.app.screens.export import KEYS, ExportScreen

    ids = {b.id for b in ExportScreen.BINDINGS}
    assert {f"export.{f.name}" for f in formats.app_formats(plan=True) if f.name in KEYS} <= ids
    assert [f.name for f in formats.app_formats(plan=True)] == ["md", "html", "docx"]
    assert all(not f.plan_only for f in formats.app_formats(plan=False))


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=lambda f: f.name)
def test_every_format_writes_a_file_that_reads_back(fmt, tmp_path, library):
    plan, anchor = load_sample(sample_files()[0], library)
    document = formats.Document(plan.title, plan, today=anchor)
    data = fmt.data(document)
    target = tmp_path / f"plan.{fmt.suffix}"
    target.write_bytes(b"old")
    atomic_write_bytes(target, data, mode=None)
    assert target.read_bytes() == data and data
    if not fmt.binary:
        assert plan.title in target.read_text(encoding="utf-8") or fmt.name == "json"
    assert not list(tmp_path.glob(TEMP_PREFIX + "*"))


def test_a_ready_document_renders_without_a_plan():
    document = formats.Document("Dagsorden", markdown="# Dagsorden\n\n- punkt\n")
    assert formats.get("md").render(document) == "# Dagsorden\n\n- punkt\n"
    assert "<li>punkt</li>" in formats.get("html").render(document)
    with pytest.raises(ValueError):
        formats.get("json").render(document)


def test_bytes_are_written_atomically_and_text_is_the_same_writer(tmp_path):
    target = tmp_path / "fil.bin"
    target.write_bytes(b"gammel")
    os.chmod(target, 0o640)
    payload = bytes(range(256)) * 10
    atomic_write_bytes(target, payload, mode=None)
    assert target.read_bytes() == payload
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640  # the user's file keeps its mode
    atomic_write_text(target, "æøå\n", mode=None)
    assert target.read_bytes() == "æøå\n".encode()
    assert not list(tmp_path.glob(TEMP_PREFIX + "*"))


def test_export_writes_through_the_one_writer(tmp_path, capsys, monkeypatch):
    from tui import cli

    written = []
    monkeypatch.setattr(cli, "_write_output", lambda data, output: written.append((data, output)))
    db = tmp_path / "x.json"
    assert main(["--db", str(db), "new", "barnets-lov", "Plan"]) == 0
    for name in formats.names():
        assert main(["--db", str(db), "export", "Plan", "--format", name, "-o", str(tmp_path / "f")]) == 0
    assert len(written) == len(formats.FORMATS)
    assert written[0][0].startswith("# Plan")


def test_argparse_is_danish_without_patching_argparse(capsys):
    build_parser()
    assert argparse._("usage: ") == "usage: "  # nothing is changed for the rest of the process
    with pytest.raises(SystemExit) as exit_:
        main(["export"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("brug: implan export [-h]") and "implan export: fejl: disse argumenter mangler: PLAN" in err
    with pytest.raises(SystemExit):
        main(["export", "x", "--format", "pdf"])
    err = capsys.readouterr().err
    assert "fejl: argument --format: ugyldigt valg: 'pdf' (vælg mellem 'md', 'html', 'docx', 'json')" in err
    with pytest.raises(SystemExit):
        main(["import", "a", "--copy", "--replace"])
    assert "argument --replace: kan ikke bruges sammen med --copy" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["outstanding", "--o", "x"])
    assert "flertydigt tilvalg: --o kan betyde --overdue, --output" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["new", "barnets-lov", "-Min"])
    err = capsys.readouterr().err
    assert "disse argumenter mangler: TITEL" in err and DASH_HINT in err
    with pytest.raises(SystemExit):
        main(["import", "--copy"])  # an option implan has: no hint
    assert DASH_HINT not in capsys.readouterr().err


def test_help_has_danish_headings(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("brug: implan export")
    assert "\nargumenter:\n" in out and "\ntilvalg:\n" in out
    words = " ".join(out.split())
    assert "-h, --help vis denne hjælp og afslut" in words
    assert "positional arguments" not in out and "options:" not in out
    assert "md, html, docx eller json (standard: ud fra filnavnet, ellers md)" in words


def test_an_unknown_argparse_message_is_left_as_it_is():
    assert danish("argument --x: something new") == "argument --x: something new"
    assert danish("expected one argument") == "forventer én værdi"


def test_store_errors_name_no_flag_and_each_side_words_them():
    from tui.app.wording import describe_error as tui_describe

    damaged = errors.DatabaseDamaged(Path("/d/implan.json"), "ugyldig JSON", Path("/d/x"), Path("/d/kopi.json"))
    exists = errors.PlanExists("Plan Nord", "abc")
    loop = errors.DatabasePathLoop(Path("/d/loop.json"))
    for exc in (damaged, exists, loop):
        assert "--" not in str(exc) and "--" not in tui_describe(exc)
    assert (exists.title, exists.plan_id, loop.path, damaged.newest_backup) == (
        "Plan Nord", "abc", Path("/d/loop.json"), Path("/d/kopi.json"))
    assert describe_error(exists) == ("Planen »Plan Nord« findes allerede. Brug --copy for at importere den som en ny "
                                      "plan eller --replace for at overskrive den.")
    assert describe_error(damaged).endswith('\nGendan den med: implan --db "/d/implan.json" restore')
    assert describe_error(loop).endswith("peger på sig selv. Ret linket, eller vælg en anden fil med --db.")
    assert "anden databasefil" in tui_describe(loop)


def test_shared_helpers_import_no_textual():
    code = ("import sys; from tui.fileio import safe_filename, describe_os_error; import tui.core.formats;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_describe_os_error_names_the_file():
    from tui.fileio import describe_os_error

    assert describe_os_error(FileNotFoundError(2, "No such file", "/x/y.md")) == "/x/y.md: findes ikke."
    assert describe_os_error(OSError("Mappen /x findes ikke.")) == "Mappen /x findes ikke."
