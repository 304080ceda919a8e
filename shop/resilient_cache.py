"""Django's Redis cache, except that Redis being down is a miss, not an error.

The cache only ever holds copies (pages, menus, the search vocabulary, generation
counters), so while Redis is unreachable every read misses, every write is dropped
and pages are built from the database: slower, but served. Sessions are in the
database and the login throttle in its own tables, so nothing is lost.

Connection errors and timeouts are logged (once a minute at most) and, for a few
seconds after one, Redis is not asked at all: a page makes many cache calls, and each
must not wait for a connect timeout. Use short socket timeouts in OPTIONS
(socket_connect_timeout, socket_timeout) so a Redis that hangs fails fast too.

Invalidation bumps made while Redis is down are lost with it: if the same Redis
comes back with its data, entries it holds can be stale until they expire
(CMS_PAGE_CACHE_SECONDS)."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError, OSError)
# After a failure, Redis is left alone this long (seconds).
RETRY_AFTER = 5.0
_LOG_EVERY = 60.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._logged_at = float("-inf")
        self._lock = threading.Lock()

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._failed(exc)
            return fallback

    def _failed(self, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_AFTER
            should_log = now - self._logged_at >= _LOG_EVERY
            if should_log:
                self._logged_at = now
        if should_log:
            logger.warning("cache: Redis unreachable, serving without it: %r", exc)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        # Always tried, even while paused: counters are the cache generations that
        # invalidate pages and the login/lookup throttles, too important to skip
        # because another call on this thread failed a moment ago. Down, a counter
        # is as good as missing (ValueError), as Django's caches say.
        try:
            value = super().incr(key, delta, version)
        except UNREACHABLE as exc:
            self._failed(exc)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from exc
        except ValueError:
            self._down_until = 0.0  # Redis answered: the key is just missing
            raise
        self._down_until = 0.0
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
