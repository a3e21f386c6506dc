#!/usr/bin/env python3
"""The same dbt project on Spark (dbt-spark, session method: Spark runs inside the dbt process, local[2] unless
JUESUAN_SPARK_MASTER names a cluster). Its own locked environment, .venv-spark, because dbt-spark and pyspark pin
what the main .venv does not need.

    scripts/spark.py install   a JDK 17 (Debian's, when none is on PATH) and .venv-spark from spark/requirements.txt
                               pinned by spark/requirements.lock (idempotent)
    scripts/spark.py build     dbt build --target spark into warehouse/spark/ (Parquet tables, a Derby metastore);
                               incremental like the DuckDB build: the per-unit-year tables are partitioned by
                               fiscal_year and the years in int_build_scope are overwritten
    scripts/spark.py dbt ARGS  any dbt command on the spark target (dbt run --select …, dbt test, dbt compile)
    scripts/spark.py lock      re-resolve spark/requirements.txt and rewrite spark/requirements.lock

./juesuan build --target spark is `scripts/spark.py build`. Standard library only: it runs before .venv-spark exists.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lockedenv import LockedEnv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPARK = ROOT / "spark"
ENV = LockedEnv("spark", Path(os.environ.get("JUESUAN_SPARK_VENV") or ROOT / ".venv-spark"),
                SPARK / "requirements.txt", SPARK / "requirements.lock", "bin/dbt")
DEFAULT_WAREHOUSE = ROOT / "warehouse" / "spark"
JDK_PACKAGE = "openjdk-17-jre-headless"


def java_version() -> int | None:
    """The major version of the `java` on PATH (or JAVA_HOME's), None when there is none."""
    java = (Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    if not java or not Path(java).exists():
        return None
    out = subprocess.run([str(java), "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def ensure_jdk() -> None:
    if (java_version() or 0) >= 17:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        ENV.log(f"installing Debian's {JDK_PACKAGE} (Spark 4 needs Java 17)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", JDK_PACKAGE], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if (java_version() or 0) < 17:
        raise SystemExit(f"spark: Java 17 or later is needed on PATH (apt-get install {JDK_PACKAGE})")


def spark_env(warehouse: Path, catalog: str, master: str | None, driver_memory: str) -> dict[str, str]:
    """The environment of a dbt run on the spark target (profiles.yml reads the JUESUAN_SPARK_* variables)."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "JUESUAN_SPARK_WAREHOUSE": str(warehouse.resolve()), "JUESUAN_SPARK_CATALOG": catalog,
           # the JVM is started by pyspark with these (a SparkSession's config is too late for them)
           # (Derby's log beside its metastore, not in the working folder)
           "PYSPARK_SUBMIT_ARGS": f"--driver-memory {driver_memory} --driver-java-options '"
                                  f"-Dlog4j2.configurationFile=file:{SPARK / 'log4j2.properties'} "
                                  f"-Dderby.system.home={warehouse.resolve()}' pyspark-shell",
           "PYSPARK_PYTHON": str(ENV.python())}
    if master:
        env["JUESUAN_SPARK_MASTER"] = master
    return env


def run_dbt(dbt_args: list[str], project: Path, warehouse: Path, catalog: str, master: str | None,
            driver_memory: str) -> int:
    if not ENV.installed():
        raise SystemExit("spark: .venv-spark is missing or out of date: run `scripts/spark.py install` first")
    ensure_jdk()
    warehouse.mkdir(parents=True, exist_ok=True)
    args = [a for a in dbt_args]
    if "--target" not in args and not any(a.startswith("--target=") for a in args):
        args += ["--target", "spark"]
    if "--project-dir" not in args:
        args += ["--project-dir", str(project)]
    if "--profiles-dir" not in args:
        args += ["--profiles-dir", str(project)]
    cmd = [str(ENV.venv / "bin" / "dbt"), *args]
    ENV.log(" ".join(cmd[:3]) + f" … (Spark warehouse {warehouse}, catalog {catalog})")
    started = time.monotonic()
    code = subprocess.run(cmd, cwd=project, env=spark_env(warehouse, catalog, master, driver_memory)).returncode
    ENV.log(f"dbt exited {code} after {time.monotonic() - started:.0f} s")
    return code


def strip_target(args: list[str]) -> list[str]:
    """`./juesuan build --target spark …`: the target is this script's; the rest goes to dbt."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a == "--target":
            skip = True
        elif not a.startswith("--target="):
            out.append(a)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("install", help="a JDK 17 and .venv-spark (pinned by spark/requirements.lock)")
    p.add_argument("--python", help="the Python to create .venv-spark with (python3.11 by default)")
    p.add_argument("--force", action="store_true", help="re-install even when up to date")
    p = sub.add_parser("lock", help="re-resolve spark/requirements.txt into spark/requirements.lock")
    p.add_argument("--python")
    for name, text in (("build", "dbt build --target spark (extra arguments go to dbt)"),
                       ("dbt", "any dbt command on the spark target: scripts/spark.py dbt run --select …")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--project-dir", type=Path, default=ROOT)
        p.add_argument("--warehouse", type=Path, default=Path(os.environ.get("JUESUAN_SPARK_WAREHOUSE")
                                                               or DEFAULT_WAREHOUSE),
                       help="where the Parquet tables and the metastore go (default warehouse/spark)")
        p.add_argument("--catalog", choices=["hive", "in-memory"], default="hive",
                       help="hive: a Derby metastore in the warehouse folder, kept between runs (incremental "
                            "builds); in-memory: none (one run only, tests)")
        p.add_argument("--master", help="a Spark master URL (default local[2], or JUESUAN_SPARK_MASTER)")
        p.add_argument("--driver-memory", default=os.environ.get("JUESUAN_SPARK_DRIVER_MEMORY", "4g"))
    args, rest = parser.parse_known_args(argv)
    if args.command == "install":
        ensure_jdk()
        ENV.install(args.python, args.force)
        return 0
    if args.command == "lock":
        ENV.relock(args.python, "scripts/spark.py")
        return 0
    dbt_args = (["build"] if args.command == "build" else []) + strip_target(rest)
    return run_dbt(dbt_args, args.project_dir.resolve(), args.warehouse, args.catalog, args.master,
                   args.driver_memory)


if __name__ == "__main__":
    sys.exit(main())
