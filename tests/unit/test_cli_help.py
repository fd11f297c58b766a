"""`creditwh` alone prints what it can do (not an error); `--version` says which version."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from creditwh.cli import main


def test_no_arguments_prints_the_help_and_succeeds(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: creditwh")
    assert all(command in out for command in ("run", "publish", "scorecard", "bulletin", "report", "profile"))


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"creditwh {version('creditwh')}"
