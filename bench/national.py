"""The national catalogue the page benchmarks share: `seed_demo --seed 42 --scale
national` (20,000 products) in the throwaway database test_<name>_search on
DATABASE_URL's server, which search_bench.py uses too (whichever runs first seeds it;
later runs reuse it while it holds the 20,000 products, after applying any migration
added since).

Seeding is timed: wall clock, and the peak resident memory of the seed_demo process
(os.wait4's rusage of that one child; PostgreSQL's own memory is not in it). The
figures are kept in var/bench/ for the runs that reuse the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench python bench/national.py [--reseed]
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = 20_000
# The seed's images and the servers that show them must agree on where media lives.
MEDIA_ROOT = ROOT / "var" / "bench-media"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Needs PostgreSQL (DATABASE_URL=postgres://...).")
    return url


def database_url(name: str) -> str:
    """DATABASE_URL with another database name."""
    return urlunsplit(urlsplit(server_url())._replace(path=f"/{name}"))


def national_url() -> str:
    name = urlsplit(server_url()).path.lstrip("/")
    return database_url(f"test_{name}_search")


def products(url: str) -> int:
    """Seeded national products in the database at `url` (0 when it is missing)."""
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT count(*) FROM catalogue_product WHERE upc LIKE %s", ("VN-%",)
            ).fetchone()
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return 0
    return row[0]


def django_env(url: str, settings: str = "shop.settings.test") -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": settings,
        "MEDIA_ROOT": str(MEDIA_ROOT),
    }


def manage(url: str, *args: str) -> dict:
    """Run manage.py in a child process: its wall seconds and peak RSS in MiB."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(url),
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed ({child.returncode})")
    # ru_maxrss is in KiB on Linux.
    return {
        "seconds": time.perf_counter() - started,
        "peak_mib": usage.ru_maxrss / 1024,
    }


def seed(url: str) -> dict:
    """A fresh database, migrated and seeded at national scale; the figures."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    migrate = manage(url, "migrate", "--noinput")
    seeded = manage(url, "seed_demo", "--seed", "42", "--scale", "national")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")  # fresh tables have no planner statistics
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "products": products(url),
        "migrate_s": round(migrate["seconds"], 1),
        "seed_s": round(seeded["seconds"], 1),
        "seed_peak_mib": round(seeded["peak_mib"]),
        "load": [round(n, 2) for n in os.getloadavg()],
    }


def national(reseed: bool = False) -> dict:
    """The seeded national database (seeding it when needed): its URL and the seed's
    figures (from the run that seeded it, when this one reused it)."""
    url = national_url()
    record = ROOT / "var" / "bench" / f"seed-{urlsplit(url).path.lstrip('/')}.json"
    if reseed or products(url) < PRODUCTS:
        print(f"Seeding the national catalogue into {urlsplit(url).path[1:]} …")
        figures = seed(url)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(figures, indent=1))
        figures["reused"] = False
    else:  # migrations added since the seed apply to the reused database too
        manage(url, "migrate", "--noinput")
        figures = {"products": products(url)}  # seeded before figures were kept
        if record.exists():
            figures = json.loads(record.read_text())
        figures["reused"] = True
    return {"url": url, **figures}


if __name__ == "__main__":
    print(json.dumps(national(reseed="--reseed" in sys.argv), indent=1))
