"""The systemd unit: systemd itself finds nothing wrong with it, and it keeps the promises the README makes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).parent.parent / "systemd" / "watcher.service"


def directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_the_unit_is_a_notify_service_that_does_not_restart_on_a_bad_watchlist() -> None:
    unit = directives()

    assert unit["Type"] == ["notify"] and unit["RestartPreventExitStatus"] == ["78"]
    assert unit["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert unit["DynamicUser"] == ["yes"] and unit["StateDirectory"] == ["watcher"]
    assert unit["LoadCredential"] == ["slack-webhook:/etc/watcher/slack-webhook"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_prints_nothing(tmp_path: Path) -> None:
    # verify checks that ExecStart exists: point it at the console script installed beside this Python.
    installed = Path(sys.executable).parent / "watcher"
    unit = tmp_path / "watcher.service"
    unit.write_text(UNIT.read_text().replace("/opt/watcher/bin/watcher", str(installed)))

    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)

    assert (result.returncode, result.stdout + result.stderr) == (0, "")
