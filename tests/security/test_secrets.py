"""No secrets in the repository: every tracked file is scanned for private keys and live
credentials. The demo's Stripe values (sk_test_ocop_demo, pk_test_ocop_demo,
whsec_ocop_demo) are public on purpose and refused by the production settings."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY( BLOCK)?-----"),
    "Stripe live key": re.compile(r"\b(?:sk|rk|pk)_live_[0-9A-Za-z]{8,}"),
    "Stripe webhook secret": re.compile(r"\bwhsec_[0-9A-Za-z]{20,}"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[0-9A-Za-z]{36}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "URL with a password": re.compile(
        r"\b[a-z][a-z0-9+]*://[^/\s:@'\"]+:[^/\s@'\"]{6,}@"
    ),
}
# Placeholder credentials in tests (tests/shop/test_healthz.py: the address is redacted).
ALLOWED = ("://user:secret@", "://user:password@")


def tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git clone: nothing tracked to scan")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [ROOT / name.decode() for name in listed if name]


def findings(text: str) -> list[str]:
    return [
        f"{kind}: {match.group(0)[:24]}…"
        for kind, pattern in PATTERNS.items()
        for match in pattern.finditer(text)
        if not any(allowed in match.group(0) for allowed in ALLOWED)
    ]


def test_no_tracked_file_holds_a_secret():
    leaks = []
    for path in tracked_files():
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        leaks += [f"{path.relative_to(ROOT)}: {f}" for f in findings(text)]

    assert leaks == []


def test_the_scanner_finds_what_it_looks_for():
    key = "-----BEGIN RSA " + "PRIVATE KEY-----"
    live = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    aws = "AKIA" + "IOSFODNN7EXAMPLE"
    hook = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    assert len(findings("\n".join([key, live, aws, hook]))) == 4
    assert findings("whsec_ocop_demo sk_test_ocop_demo pk_test_ocop_demo") == []
    assert findings("redis://127.0.0.1:6379/1 postgres://postgres@127.0.0.1/db") == []
    assert findings("postgres://ocop:" + "hunter2hunter2@db/ocop") != []
