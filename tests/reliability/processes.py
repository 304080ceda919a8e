"""Real processes for the reliability tests: a throwaway redis-server, a Celery worker,
a gunicorn web server, and an SMTP server that can hold a message mid-delivery."""

import os
import select
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
SETTINGS = "tests.reliability.settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, timeout: float = 60.0, interval: float = 0.2):
    """condition()'s first truthy value, or None after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def database_url() -> str:
    """The test database, for processes started by the test (PostgreSQL only: they
    cannot see SQLite's in-memory test database)."""
    db = connection.settings_dict
    password = db["PASSWORD"] or ""
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Subprocesses are ordinary Django processes, not pytest's async-unsafe one;
        # the search backend comes from extra, never from the caller's shell.
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "ELASTICSEARCH_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url(),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class RedisServer:
    """A redis-server of our own on a free port, nothing saved to disk: stopping it
    loses everything in it, as a crashed Redis without persistence would."""

    def __init__(self):
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_until(lambda: port_open(self.port), timeout=20):
            raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        stop(self.process)
        wait_until(lambda: not port_open(self.port), timeout=10)


def worker_start(env: dict[str, str], queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "shop", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=WARNING", "-Q", queue, "-n", f"{queue}-{time.monotonic_ns()}@%h"],
        env=env, cwd=ROOT,
    )  # fmt: skip


def worker_kill(worker: subprocess.Popen) -> None:
    """SIGKILL: no warm shutdown, no requeue, no acknowledgement, nothing."""
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def server_start(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the project; (process, base URL)."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "shop.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--timeout", "60",
         "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    if not wait_until(lambda: port_open(port), timeout=30):
        stop(server)
        raise RuntimeError("gunicorn did not start")
    return server, f"http://127.0.0.1:{port}"


class SmtpSink:
    """An SMTP server that keeps what it accepted (a message counts once the server
    answered 250 to its data, as with any mail server). hold_next() makes it sit on
    the next message's data without answering, as a slow mail server would: the
    sender is then in the middle of sending, and if it dies there the message was
    never accepted."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.holding = threading.Event()  # a message is being held
        self._hold = False
        self._release = threading.Event()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink._converse(self)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold_next(self) -> None:
        self._hold, self._release = True, threading.Event()
        self.holding.clear()

    def release(self) -> None:
        self._release.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def _converse(self, handler) -> None:
        def reply(text: str) -> None:
            handler.wfile.write(f"{text}\r\n".encode())
            handler.wfile.flush()

        reply("220 sink")
        while line := handler.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                reply("250 sink")
            elif verb == b"DATA":
                reply("354 go on")
                chunks = []
                while (chunk := handler.rfile.readline()) not in (b".\r\n", b""):
                    chunks.append(chunk)
                if not chunk:
                    return  # the sender went away mid-message
                data = b"".join(chunks)
                if self._hold:
                    self._hold = False
                    if not self._held(handler.connection):
                        return  # the sender went away: nothing was accepted
                self.messages.append(data)
                reply("250 accepted")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            else:
                reply("250 ok")

    def _held(self, sock) -> bool:
        """Hold the data unanswered until released; False if the sender hung up."""
        self.holding.set()
        while True:
            released = self._release.wait(0.1)
            readable, _, _ = select.select([sock], [], [], 0)
            if readable and not sock.recv(1, socket.MSG_PEEK):
                return False
            if released:
                return True
