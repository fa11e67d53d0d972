"""Django's Redis cache backend, with one Redis client per connection pool.

Django 5.2's `RedisCacheClient.get_client()` builds a new `redis.Redis` object for every
cache call. The connection is pooled either way, but constructing the client costs more
Python than the round trip itself, and a signed-in page makes several cache calls (the
session, the row cache). A `redis.Redis` client is safe to share between threads (each
command borrows a connection from the thread-safe pool), so each pool gets one. Keys are
not checked for what memcached would refuse (Redis takes them all).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key):
        """Redis takes any key. Django's check warns about keys memcached would refuse,
        one character at a time in Python, for every key of every call."""
