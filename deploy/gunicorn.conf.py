"""gunicorn settings for ANICE (``gunicorn -c deploy/gunicorn.conf.py wsgi:app``).

Threaded workers: a worker's main loop tells the arbiter it is alive every second while
its threads serve requests, so ``timeout`` only catches a hung worker, and a long evidence
upload or download is not cut off. ``graceful_timeout`` bounds how long a restart waits for
requests in flight (a large upload included). Every value can be set in the environment.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "300"))
keepalive = 5
# Recycle workers now and then: memory cannot creep up for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The app trusts proxy headers itself (ANICE_PROXY_FIX); gunicorn should not add its own.
forwarded_allow_ips = ""
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
proc_name = "anice-web"
# gunicornc's control socket: only where a path is given (the default, shared by every
# gunicorn of the same user, would make two instances on one host collide).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def child_exit(server, worker):
    """Metrics of a worker that exited are kept; its live gauges are dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
