"""A component whose pins clash with the main .venv gets its own virtual environment, installed from its
requirements.txt pinned by its requirements.lock (pip freeze of a resolution), and re-installed only when either
file changed. Used by scripts/bi.py (Superset, .venv-bi) and scripts/spark.py (dbt-spark and pyspark, .venv-spark).
Standard library only: it runs before any environment exists."""
from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def find_python(explicit: str | None = None) -> str:
    for candidate in (explicit, shutil.which("python3.11"), shutil.which("python3")):
        if candidate:
            return candidate
    raise SystemExit("no python3.11 or python3 found")


@dataclass(frozen=True)
class LockedEnv:
    name: str            # for messages: "bi", "spark"
    venv: Path           # the environment's folder
    requirements: Path   # what is asked for
    lock: Path           # what it resolved to (pip freeze)
    marker: str          # a program the environment must have, relative to venv (bin/superset)

    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def log(self, message: str) -> None:
        print(f"{self.name}: {message}", file=sys.stderr, flush=True)

    def installed(self) -> bool:
        """The environment has its marker and was installed from exactly this requirements.txt and lock."""
        return ((self.venv / self.marker).exists()
                and all((self.venv / copy).exists() and filecmp.cmp(src, self.venv / copy, shallow=False)
                        for src, copy in ((self.lock, ".installed-lock"), (self.requirements, ".installed-reqs"))))

    def install(self, python: str | None = None, force: bool = False) -> None:
        if self.installed() and not force:
            self.log(f"{self.venv} is up to date with {self.lock.name}")
            return
        started = time.monotonic()
        self.log(f"installing into {self.venv} (pinned by {self.lock}); a few minutes the first time")
        if not self.python().exists():
            subprocess.run([find_python(python), "-m", "venv", str(self.venv)], check=True)
        pip = [str(self.python()), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "-r", str(self.requirements), "-c", str(self.lock)], check=True)
        subprocess.run([*pip, "check"], check=True)
        shutil.copyfile(self.lock, self.venv / ".installed-lock")
        shutil.copyfile(self.requirements, self.venv / ".installed-reqs")
        self.log(f"installed in {time.monotonic() - started:.0f} s")

    def relock(self, python: str | None = None, script: str = "") -> None:
        """Resolve requirements.txt afresh in a scratch venv and write its pip freeze as the lock."""
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-lock-") as tmp:
            scratch = Path(tmp) / "venv"
            subprocess.run([find_python(python), "-m", "venv", str(scratch)], check=True)
            pip = [str(scratch / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
            subprocess.run([*pip, "install", "--quiet", "-r", str(self.requirements)], check=True)
            subprocess.run([*pip, "check"], check=True)
            frozen = subprocess.run([*pip, "freeze", "--all", "--exclude", "pip", "--exclude", "setuptools",
                                     "--exclude", "wheel"], check=True, capture_output=True, text=True).stdout
        self.lock.write_text(f"# pip freeze of {self.venv.name} resolved from {self.requirements.parent.name}/"
                             f"{self.requirements.name} ({script} lock)\n" + frozen, encoding="utf-8")
        self.log(f"wrote {self.lock} ({len(frozen.splitlines())} packages)")
