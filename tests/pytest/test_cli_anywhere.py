"""Every documented command goes through ./juesuan and works from any folder, with the user's relative paths."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

JUESUAN = str(ROOT / "juesuan")
COMMANDS = {"build": "build.py", "import": "import_report.py", "validate": "validate_seeds.py",
            "report": "render_report.py", "queries": "analyst_queries.py", "synth": "generate_synthetic.py",
            "bench": "benchmark.py", "bench-import": "benchmark_import.py", "bench-validation": "benchmark_validation.py",
            "publish": "publish.py", "sql": "sql.py", "api": "api.py", "bench-serve": "benchmark_serve.py", "bi": "bi.py",
            "spark": "spark.py"}


def juesuan(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([JUESUAN, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_answers_help_from_another_folder(command, tmp_path):
    proc = juesuan(command, "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: ") and COMMANDS[command] in proc.stdout


def test_help_lists_every_command_and_an_unknown_one_is_refused(tmp_path):
    listed = juesuan("help", cwd=tmp_path)
    assert listed.returncode == 0
    for command in [*COMMANDS, "test"]:
        assert f"\n  {command} " in listed.stdout
    wrong = juesuan("biuld", cwd=tmp_path)
    assert wrong.returncode == 2 and wrong.stderr.startswith("usage: ./juesuan COMMAND")


def test_a_relative_path_is_the_users(tmp_path):
    """`./juesuan validate --seeds-dir seeds` in another folder validates that folder's seeds (a broken copy),
    not the project's; `./juesuan synth --out batch` writes there."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    path = tmp_path / "seeds" / "amounts" / "amt_sangong.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1.00", ",-1.00"), encoding="utf-8")
    proc = juesuan("validate", "--seeds-dir", "seeds", cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{tmp_path}/seeds/amounts/amt_sangong.csv:2: [amount_negative]" in proc.stderr
    proc = juesuan("synth", "--units", "2", "--years", "2024", "--out", "batch", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "batch" / "amt_revenue.parquet").exists()
    proc = juesuan("validate", "--bulk-dir", "batch", cwd=tmp_path)
    assert proc.returncode == 0 and "batch OK" in proc.stdout, proc.stderr
