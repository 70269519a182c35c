#!/usr/bin/env python3
"""Run the benchmarks (bench/bench_*.py) on a database and print their figures.

Usage (make bench does this): PYTHONPATH=$ODOO_PATH run.py CONF DB [NAME ...]

Every module defines ``bench(env, measure)``; what it creates is rolled back. Figures
are the best of five runs (wall time) and the number of SQL queries of one run.
"""

import importlib.util
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import odoo.service.server
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config


def make_measure(env):
    @contextmanager
    def measure(label, repeat=5):
        figures = {}

        def run(fn):
            best = None
            for _ in range(repeat):
                env.invalidate_all()
                queries = env.cr.sql_log_count
                start = time.perf_counter()
                fn()
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
                figures["queries"] = env.cr.sql_log_count - queries
            figures["ms"] = best * 1000

        yield run
        print(f"  {label:<66} {figures['ms']:8.1f} ms {figures['queries']:5d} queries")

    return measure


def main(conf, db, names):
    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = Registry(db)
    here = Path(__file__).parent
    for path in sorted(here.glob("bench_*.py")):
        if names and path.stem not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"{path.stem}: {(module.__doc__ or '').strip().splitlines()[0]}")
        with registry.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            try:
                module.bench(env, make_measure(env))
            finally:
                cr.rollback()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
