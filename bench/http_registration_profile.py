#!/usr/bin/env python3
"""Where a registration through a personal link spends its time, against /web/login.

Usage (`KI_BENCH_HTTP_PROFILE=1 make bench-http` does this on a throw-away copy of the
bench database):
    PYTHONPATH=$ODOO_PATH http_registration_profile.py CONF DB

One client, one request at a time, inside this process (Odoo's WSGI application driven
by werkzeug's test client): no workers, no concurrency, so what is printed is the cost
of each request alone - its time and number of queries, the GET of the personal link,
the POST of its form and the GET of /web/login, median over the registrations - then
in a second pass, the queries that took the most time in total (timing each query
costs time of its own: it is kept out of the first pass) and, with
KI_BENCH_HTTP_CPROFILE=1, a cProfile of that pass's registrations. Seeds as
http_registration.py does (the copy's rate limit raised). KI_BENCH_HTTP_REGISTRATIONS
(20) sets the number of registrations of each pass.
"""

import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from werkzeug.test import Client

import odoo
import odoo.http
import odoo.service.server
import odoo.sql_db
from odoo.modules.registry import Registry
from odoo.tools import config

sys.path.insert(0, str(Path(__file__).parent))
from http_registration import CSRF_RE, seed

REGISTRATIONS = int(os.environ.get("KI_BENCH_HTTP_REGISTRATIONS", "20"))
CPROFILE = os.environ.get("KI_BENCH_HTTP_CPROFILE") == "1"
WARMUP = 3
# Total time and number of calls per query text (its first 160 characters).
QUERY_TIMES = defaultdict(lambda: [0.0, 0])


def time_queries():
    """Count every query's time by its text (Odoo's cursor, this process only)."""
    execute = odoo.sql_db.Cursor.execute

    def timed_execute(self, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return execute(self, query, params, log_exceptions)
        finally:
            text = re.sub(r"\s+", " ", str(getattr(query, "code", query)))[:160]
            QUERY_TIMES[text][0] += time.perf_counter() - start
            QUERY_TIMES[text][1] += 1

    odoo.sql_db.Cursor.execute = timed_execute


def measured(figures, kind, call):
    start, queries = time.perf_counter(), odoo.sql_db.sql_counter
    answer = call()
    figures[kind].append((time.perf_counter() - start, odoo.sql_db.sql_counter - queries))
    if answer.status_code != 200:
        raise RuntimeError(f"{kind}: {answer.status_code}")
    return answer


def register(figures, path):
    client = Client(odoo.http.root)
    page = measured(figures, "GET personal link", lambda: client.get(path))
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    measured(
        figures,
        "POST registration form",
        lambda: client.post(f"{path}/register", data={"csrf_token": token, "consent": "1"}),
    )


def login_page(figures):
    measured(figures, "GET /web/login", lambda: Client(odoo.http.root).get("/web/login"))


def main(conf, db):
    config.parse_config(
        ["-c", conf, "-d", db, f"--db-filter=^{re.escape(db)}$", "--log-level=warn"]
    )
    odoo.service.server.load_server_wide_modules()
    registry = Registry(db)
    paths, _training_id = seed(registry, WARMUP + 2 * REGISTRATIONS)
    warmup = defaultdict(list)
    for path in paths[:WARMUP]:
        register(warmup, path)
        login_page(warmup)
    paths = paths[WARMUP:]
    figures = defaultdict(list)
    for path in paths[:REGISTRATIONS]:
        register(figures, path)
        login_page(figures)
    # Second pass: where the time goes.
    time_queries()
    profile = cProfile.Profile() if CPROFILE else None
    for path in paths[REGISTRATIONS:]:
        if profile:
            profile.enable()
        register(defaultdict(list), path)
        if profile:
            profile.disable()
        login_page(defaultdict(list))
    login = statistics.median(seconds for seconds, _queries in figures["GET /web/login"])
    print(f"  one client, {REGISTRATIONS} registrations, in process (median per request):")
    for kind, values in figures.items():
        seconds = statistics.median(value[0] for value in values)
        queries = statistics.median(value[1] for value in values)
        print(
            f"  {kind:24} {seconds * 1000:7.1f} ms  {queries:5.0f} queries  "
            f"{seconds / login:5.1f}x the login page"
        )
    registration = sum(
        statistics.median(value[0] for value in figures[kind])
        for kind in ("GET personal link", "POST registration form")
    )
    print(f"  registration (GET + POST) against one login page: {login / registration:.2f}x")
    print("  second pass, queries by total time (all requests):")
    costliest = sorted(QUERY_TIMES.items(), key=lambda item: -item[1][0])[:25]
    for text, (seconds, calls) in costliest:
        print(f"  {seconds * 1000:8.1f} ms {calls:5d}x  {text}")
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(50)
        print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
