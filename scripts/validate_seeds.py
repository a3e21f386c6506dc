#!/usr/bin/env python3
"""Validate every input before anything is loaded: the seed CSVs and, with --bulk-dir, the bulk Parquet files
(imported reports' batches, a synthetic or exported batch). Each problem is printed as

    file:line: [rule] column 'value': the rule's message; what is wrong with this row

(`file:row N` for a Parquet file, the file alone for a problem of the whole file). The rules are the registry
seeds/validation/ref_input_rules.csv (--rules lists them); the checks are scripts/validation/. Exit status 0
when there is no error (warnings are printed), 1 when any error is found; nothing is written either way.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from validation import Problem, load_rules, run_validation  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def validate(seeds_dir: Path, bulk_dir: Path | None = None) -> list[Problem]:
    """Every problem, errors and warnings, of the seeds (and the bulk files, if given)."""
    return run_validation(seeds_dir, bulk_dir).problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds-dir", type=Path, default=ROOT / "seeds",
                        help="folder of seed CSVs and their YAML (default: the project's seeds/)")
    parser.add_argument("--bulk-dir", type=Path, default=None,
                        help="folder of bulk Parquet files to validate with the seeds (default: none)")
    parser.add_argument("--rules", action="store_true", help="list the registry of input rules and exit")
    args = parser.parse_args(argv)
    if args.rules:
        for rule in load_rules(args.seeds_dir.resolve()).values():
            print(f"{rule.rule_id:28} {rule.severity:8} {rule.applies_to:5} {rule.message}")
        return 0
    started = time.perf_counter()
    result = run_validation(args.seeds_dir.resolve(), args.bulk_dir.resolve() if args.bulk_dir else None)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    seconds = time.perf_counter() - started
    if result.errors:
        print(f"validate: {len(result.errors)} error(s), {len(result.warnings)} warning(s); nothing was loaded.",
              file=sys.stderr)
        return 1
    bulk = f" and {args.bulk_dir}" if args.bulk_dir else ""
    print(f"validate: {len(result.seeds)} seed files{bulk} OK, {len(result.warnings)} warning(s) ({seconds:.2f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
