"""gunicorn's settings for Golden Thread.

Start the site from the repository root with ``gunicorn -c gunicorn.conf.py``.
Each value can be changed from the environment without editing this file:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_TIMEOUT and GUNICORN_ACCESS_LOG.

Every request is short: the slow work (board pack PDFs, large downloads) is
done by the background worker, ``python manage.py db_worker``, which runs
beside gunicorn as its own service. So plain sync workers suffice, and the
timeout stays at 30 seconds to catch a request that is stuck, not one that
is working.
"""

import os


def _whole_number(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "improvement.wsgi:application"

# Behind a TLS-terminating proxy on the same machine (nginx), which sets
# X-Forwarded-Proto; gunicorn trusts forwarded headers from 127.0.0.1 only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
forwarded_allow_ips = "127.0.0.1"

# Load the application once, before the workers are forked: each starts
# ready, rather than importing everything on its first request. (Restart
# gunicorn, rather than reload it, to run new code.)
preload_app = True

# Sync workers handle one request each at a time. (2 x cores) + 1 is the
# usual starting point; 3 suits the 2-core reference machine.
worker_class = "sync"
workers = _whole_number("GUNICORN_WORKERS", 3)
timeout = _whole_number("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Replace each worker after about a thousand requests, so memory cannot creep.
max_requests = 1000
max_requests_jitter = 100

# One line per request on standard output, with the time it took in
# milliseconds at the end; errors on standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(a)s" %(M)sms'
errorlog = "-"
loglevel = "info"

# Managed by the service manager (systemd) with signals; no control socket,
# so several instances on one machine cannot clash over its path.
control_socket_disable = True
