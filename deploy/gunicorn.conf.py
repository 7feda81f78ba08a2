"""gunicorn for the console: ``gunicorn -c deploy/gunicorn.conf.py integration_hub.wsgi``.

Flags given on the command line win over these (``--bind``, ``--workers``). Long work never runs
in a web request: runs, re-runs and imports are queued for the ``qcluster`` workers, so the web
timeouts only need to cover the slowest page and an Excel export.
"""

import multiprocessing

# Behind the reverse proxy on the same machine (docs/deploy.md); the proxy terminates TLS.
bind = "127.0.0.1:8000"
# Two processes per core, a few threads each: the console mostly waits on its database.
workers = min(2 * multiprocessing.cpu_count(), 8)
worker_class = "gthread"
threads = 4
# Seconds a request may take before its worker is replaced (an export of a large run's records).
timeout = 120
# On restart or SIGHUP, requests in flight get this long to finish.
graceful_timeout = 30
keepalive = 5
# Replace a worker after this many requests (with jitter, so they do not all restart at once):
# keeps the memory of a long-running console flat.
max_requests = 2000
max_requests_jitter = 200
# Load the application once, before forking: a configuration error then stops gunicorn at once
# with its one-line message instead of every worker failing to boot in turn.
preload_app = True
# Only the local proxy may say the original request was https (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = "-"
errorlog = "-"
