"""Every benchmark in one run, then one summary table: what `make bench` runs.

Each script runs as its own process with the caller's DATABASE_URL, its output shown
as it comes; the headline figures are then picked from that output. The national
catalogue is seeded (and timed) first, unless a database holding it is reused.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench python bench/run.py
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "national.py",
    "queries_bench.py",
    "throughput_bench.py",
    "search_bench.py",
    "checkout_race_bench.py",
    "stock_race_bench.py",
    "locator_bench.py",
]
# Any other benchmark runs too, after these (its figures are above the summary).
SCRIPTS += sorted({p.name for p in HERE.glob("*_bench.py")} - set(SCRIPTS))


def run(script: str) -> str:
    print(f"== bench/{script}", flush=True)
    started = time.perf_counter()
    # Celery logs every eager task at INFO: WARNING keeps the figures readable.
    environment = {**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING")}
    child = subprocess.Popen(
        [sys.executable, str(HERE / script)],
        cwd=HERE.parent, env=environment, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines = []
    for line in child.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    if child.wait():
        sys.exit(f"bench/{script} failed ({child.returncode})")
    print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    return "".join(lines)


def pick(pattern: str, text: str, template: str) -> str:
    found = re.search(pattern, text, re.MULTILINE)
    return template.format(*found.groups()) if found else "(not found: see above)"


def summary(out: dict[str, str]) -> list[tuple[str, str]]:
    seed = json.loads(out["national.py"][out["national.py"].index("{") :])
    seeded = (
        f"{seed['products']} products in {seed['seed_s']:.0f} s, peak RSS"
        f" {seed['seed_peak_mib']} MiB (migrate {seed['migrate_s']:.0f} s; {seed['date']},"
        f" load {seed['load'][0]})" + (", reused" if seed["reused"] else "")
        if "seed_s" in seed
        else f"{seed['products']} products, seeded earlier (not timed)"
    )
    rows = re.findall(
        r"^(\S.*?)\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s+(yes|[+-]\d+)$",
        out["queries_bench.py"],
        re.MULTILINE,
    )
    counts = [int(q) for row in rows for q in row[1:3]]
    grew = [f"{name} {verdict}" for name, _, _, verdict in rows if verdict[0] == "+"]
    throughput = {
        page: f"{ours} req/s, p99 {p99} ms; ours/vanilla {vanilla}, ours/ceiling {ceiling}"
        for page, ours, p99, vanilla, ceiling in re.findall(
            r"^(home|category|product|store locator)\s+([\d.]+)\s+([\d.]+)\s.*?(\S+)\s+(\S+)$",
            out["throughput_bench.py"],
            re.MULTILINE,
        )
    }
    search = out["search_bench.py"]
    checkout = out["checkout_race_bench.py"]
    stock = out["stock_race_bench.py"]
    return [
        ("machine", pick(
            r"^Machine: PostgreSQL counts 1,000,000 generated rows in (\d+) ms; Python"
            r" sums 10,000,000 integers in a loop in (\d+) ms", search,
            "PostgreSQL counts 1,000,000 generated rows in {} ms, Python sums"
            " 10,000,000 integers in a loop in {} ms (to compare machines)")),
        ("national seed", seeded),
        ("SQL queries per page", f"{min(counts, default=0)}-{max(counts, default=0)},"
         f" the same for few or many items shown" + (f" except: {', '.join(grew)}"
                                                     if grew else "")),
        *[(f"throughput: {page}", line) for page, line in throughput.items()],
        ("search backend p50/p95", pick(
            r"^all\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", search,
            "{} / {} ms (SQL {} / {} ms)")),
        ("search page p50/p95", pick(
            r"^all(?:\s+[\d.]+){4}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", search,
            "{} / {} ms (SQL {} / {} ms)")),
        ("checkout race", pick(
            r"orders placed\s+(\d+)[\s\S]*?errors\s+(\d+)[\s\S]*?throughput\s+(\d+) orders/s,"
            r" (\d+) attempts/s[\s\S]*?median\s+([\d.]+) ms[\s\S]*?p95\s+([\d.]+) ms",
            checkout, "{} of 200 buyers got the last 50 units, {} errors; {} orders/s"
            " ({} attempts/s), latency p50 {} ms, p95 {} ms")),
        ("stock race", pick(
            r"sold\s+(\d+)[\s\S]*?errors\s+(\d+)[\s\S]*?throughput\s+(\d+) attempts/s"
            r"[\s\S]*?median\s+([\d.]+) ms[\s\S]*?p95\s+([\d.]+) ms",
            stock, "{} of 120 units sold to 200 buyers, {} errors; {} attempts/s,"
            " latency p50 {} ms, p95 {} ms")),
        ("store locator nearest", pick(
            r"outlets_nearest\(product_id=\.\.\.\): median ([\d.]+) ms, p95 ([\d.]+) ms",
            out["locator_bench.py"], "median {} ms, p95 {} ms (5,000 outlets)")),
    ]  # fmt: skip


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Needs PostgreSQL (DATABASE_URL=postgres://...).")
    started = time.perf_counter()
    out = {script: run(script) for script in SCRIPTS}
    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    print()
    print(f"== Summary ({time.strftime('%Y-%m-%d %H:%M %Z')}, {cores} cores,"
          f" {memory:.0f} GiB RAM, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f},"
          f" {time.perf_counter() - started:.0f} s in all)")  # fmt: skip
    for name, figures in summary(out):
        print(f"{name:<24} {figures}")


if __name__ == "__main__":
    main()
