"""Shared fixtures. Real components only: the plugins start a throwaway Postgres cluster,
Redis and headless Chromium, and serve the bundled demo site on 127.0.0.1."""

pytest_plugins = [
    "tests.plugins.postgres",
    "tests.plugins.demo_site",
    "tests.plugins.redis",
    "tests.plugins.chromium",
]
