"""Loopback throughput of four pages: ours against vanilla Oscar and a ceiling.

Three servers under the same gunicorn settings (2 sync workers, loopback), all on
PostgreSQL with persistent connections and DEBUG off:
  ours     shop.settings.production on the national catalogue (bench/national.py),
           static files collected for WhiteNoise, the local-memory cache (no Redis,
           no Elasticsearch: the database search backend);
  vanilla  Oscar's documented minimal project with the same products (bench/vanilla.py);
  ceiling  our pages' HTML captured from ours, served with no database (bench/ceiling.py).
Each page is loaded with wrk (-t1, BENCH_WRK_CONNECTIONS connections, default 4) for
BENCH_ROUNDS rounds (default 2) of BENCH_SECONDS (default 5), interleaved ours,
vanilla, ceiling, ours, ... after a warm-up; req/s over all rounds, p99 the worst
round's (wrk's timeout is raised to 30 s: a slower answer fails the run). Requests
carry X-Forwarded-Proto: https, as from the TLS proxy production expects. Vanilla
Oscar's home is its catalogue (its / redirects there); it has no store locator.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench python bench/throughput_bench.py
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from national import MEDIA_ROOT, ROOT, django_env, national
from vanilla import GUNICORN as VANILLA_GUNICORN
from vanilla import env as vanilla_env
from vanilla import vanilla

SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 2))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", 4))
PORTS = {"ours": 8461, "vanilla": 8462, "ceiling": 8463}
PROXY_HEADER = ("X-Forwarded-Proto", "https")
VAR = ROOT / "var" / "bench"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def ours_env(url: str) -> dict:
    environment = django_env(url, "shop.settings.production")
    for name in ("REDIS_URL", "ELASTICSEARCH_URL"):
        environment.pop(name, None)
    return {
        **environment,
        "DJANGO_SECRET_KEY": "bench-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "STATIC_ROOT": str(VAR / "static"),
    }


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=dict([PROXY_HEADER]))
    response = connection.getresponse()
    return response.status, response.read()


def serve(name: str, app: str, cwd: Path, environment: dict, gunicorn=GUNICORN):
    """gunicorn on its port, once it answers."""
    log = (VAR / f"{name}.log").open("w")
    server = subprocess.Popen(
        [gunicorn, app, "--workers", "2", "--bind", f"127.0.0.1:{PORTS[name]}",
         "--no-control-socket"],
        cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(120):
        try:
            get(PORTS[name], "/")
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"{name} did not start: see {log.name}")


def category_and_product(url: str) -> tuple[str, list[str]]:
    """Paths (under the catalogue) of the public category with the most public
    products, and of its first product."""
    with psycopg.connect(url) as connection:
        pk, path = connection.execute(
            "SELECT c.id, c.path FROM catalogue_category c"
            " JOIN catalogue_productcategory pc ON pc.category_id = c.id"
            " JOIN catalogue_product p ON p.id = pc.product_id AND p.is_public"
            " WHERE c.is_public GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"
        ).fetchone()
        slugs = connection.execute(
            "SELECT slug FROM catalogue_category WHERE %s LIKE path || '%%'"
            " ORDER BY depth",
            (path,),
        ).fetchall()
        products = connection.execute(
            "SELECT p.id, p.slug FROM catalogue_product p"
            " JOIN catalogue_productcategory pc ON pc.product_id = p.id"
            " WHERE pc.category_id = %s AND p.is_public ORDER BY p.id LIMIT 20",
            (pk,),
        ).fetchall()
    category = f"catalogue/category/{'/'.join(s for (s,) in slugs)}_{pk}/"
    return category, [f"catalogue/{slug}_{id_}/" for id_, slug in products]


def pages(url: str) -> list[tuple[str, str, str | None]]:
    """(page, our path, vanilla's path or None); the product one we show (some
    products in ours are hidden until certified)."""
    category, products = category_and_product(url)
    product = next(p for p in products if get(PORTS["ours"], f"/vi/shop/{p}")[0] == 200)
    return [
        ("home", "/vi/", "/catalogue/"),
        ("category", f"/vi/shop/{category}", f"/{category}"),
        ("product", f"/vi/shop/{product}", f"/{product}"),
        ("store locator", "/vi/sales-points/", None),
    ]


def capture(rows: list, folder: Path) -> None:
    """Our rendered pages, for the ceiling to serve at the same paths."""
    index = {}
    for n, (_, path, _) in enumerate(rows):
        status, body = get(PORTS["ours"], path)
        assert status == 200, (path, status)
        (folder / f"{n}.html").write_bytes(body)
        index[path] = f"{n}.html"
    (folder / "pages.json").write_text(json.dumps(index))


def seconds_of(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[unit]


def wrk(port: int, path: str, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "30s",
         "-H", f"{PROXY_HEADER[0]}: {PROXY_HEADER[1]}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    requests, elapsed = re.search(r"(\d+) requests in ([\d.]+\w+)", out).groups()
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    if timeouts and int(timeouts[1]):  # wrk leaves them out of its latencies
        sys.exit(f"FAILED: {timeouts[1]} timeouts from port {port}, {path}")
    return {
        "requests": int(requests),
        "seconds": seconds_of(elapsed),
        "p99": seconds_of(re.search(r"99%\s+([\d.]+\w+)", out)[1]),
        "failed": int(failed[1]) if failed else 0,
    }


def measure(rows: list) -> dict:
    results = {}
    for page, ours, theirs in rows:
        paths = {"ours": ours, "vanilla": theirs, "ceiling": ours}
        targets = [name for name, path in paths.items() if path]
        for name in targets:  # warm-up: per-worker caches, templates, connections
            wrk(PORTS[name], paths[name], 2)
        runs = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name in targets:
                runs[name].append(wrk(PORTS[name], paths[name], SECONDS))
        for name, measured in runs.items():
            failed = sum(run["failed"] for run in measured)
            if failed:
                sys.exit(f"FAILED: {failed} error responses from {name} {paths[name]}")
            results[(page, name)] = {
                "rps": sum(r["requests"] for r in measured)
                / sum(r["seconds"] for r in measured),
                "p99_ms": max(r["p99"] for r in measured) * 1000,
            }
    return results


def table(rows: list, results: dict) -> list[str]:
    def cells(page, name):
        found = results.get((page, name))
        if not found:
            return f"{'n/a':>8} {'':>7}"
        return f"{found['rps']:>8.1f} {found['p99_ms']:>7.1f}"

    def ratio(page, name):
        other = results.get((page, name))
        return (
            f"{results[(page, 'ours')]['rps'] / other['rps']:.3g}" if other else "n/a"
        )

    lines = [
        f"{'':<14} {'ours':>16} {'vanilla Oscar':>16} {'ceiling':>16}",
        f"{'page':<14}"
        + f" {'req/s':>8} {'p99 ms':>7}" * 3
        + f" {'ours/vanilla':>13} {'ours/ceiling':>13}",
    ]
    for page, _, _ in rows:
        lines.append(
            f"{page:<14} {cells(page, 'ours')} {cells(page, 'vanilla')}"
            f" {cells(page, 'ceiling')} {ratio(page, 'vanilla'):>13}"
            f" {ratio(page, 'ceiling'):>13}"
        )
    return lines


def main() -> None:
    if not shutil.which("wrk"):
        print("skipped: wrk is not installed (make bench installs it as root)")
        return
    VAR.mkdir(parents=True, exist_ok=True)
    url = national()["url"]
    environment = ours_env(url)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=environment, check=True,
    )  # fmt: skip
    folder = vanilla(url, MEDIA_ROOT)
    captured = Path(tempfile.mkdtemp(prefix="ocop-ceiling-"))
    servers = [serve("ours", "shop.wsgi:application", ROOT, environment)]
    try:
        rows = pages(url)
        capture(rows, captured)
        servers.append(
            serve("vanilla", "wsgi:application", folder, vanilla_env(folder),
                  VANILLA_GUNICORN)
        )  # fmt: skip
        for _, _, theirs in rows:
            if theirs and get(PORTS["vanilla"], theirs)[0] != 200:
                sys.exit(f"vanilla Oscar does not answer {theirs}")
        servers.append(
            serve("ceiling", "ceiling:application", Path(__file__).parent,
                  {**os.environ, "CEILING_PAGES": str(captured)})
        )  # fmt: skip
        for page, ours, theirs in rows:
            print(f"  {page:<14} ours {ours}  vanilla {theirs or 'n/a'}")
        started = time.perf_counter()
        results = measure(rows)
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    load = os.getloadavg()
    print(
        f"Loopback, gunicorn 2 sync workers each, wrk -t1 -c{CONNECTIONS}, {ROUNDS} x"
        f" {SECONDS} s per page and server, interleaved ({time.perf_counter() - started:.0f} s)"
    )
    lines = table(rows, results)
    print("\n".join(lines))
    print(f"Load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    (VAR / "throughput.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
