"""
gunicorn for the QMS web service (deploy/qms-web.service runs `gunicorn -c deploy/gunicorn.conf.py qms.wsgi`).
Every value can be overridden from the environment of the unit; docs/operations.md explains them.
https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

# nginx proxies to this address; never expose gunicorn itself.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Sync workers, (2 × CPU) + 1 as gunicorn advises: pages are CPU-bound Python and reports render in-process.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))

# A request may take this long before the worker is killed and restarted. Large imports go to the task
# worker (qms-worker.service), but a Biểu 06 PDF of a whole district takes tens of seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# On restart (systemctl reload / deploy), running requests get this long to finish.
graceful_timeout = 30
keepalive = 5

# Recycle each worker after about a thousand requests, at staggered moments, so a slow leak (pandas,
# xhtml2pdf) cannot grow a worker without bound and the workers never restart all at once.
max_requests = 1000
max_requests_jitter = 100

# No preload_app: with it, `systemctl reload qms-web` (HUP) would restart workers on the old code.

# Access log to stdout/stderr, which systemd's journal keeps (`journalctl -u qms-web`).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address from nginx's X-Forwarded-For, the time taken in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
forwarded_allow_ips = "127.0.0.1"
