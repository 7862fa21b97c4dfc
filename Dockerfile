# The initiative ledger's image: the deployed environment exactly as requirements.lock pins it
# (every file's hash checked, wheels only), then the project itself without dependencies; run
# as a non-root user with LEDGER_ENV=production. No secret or key is baked in: they come from
# the environment and from mounted files at run time (compose.yaml, README "Containers").
#
#   docker build -t initiative-ledger .
#
# The default command is the Procfile's `web` line; `ledger migrate` (the release step),
# `ledger worker` and `ledger witness serve …` run from the same image.

# requirements.lock is compiled with Python 3.11 (its header): keep the two in step.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python -m venv /opt/ledger
WORKDIR /src
# The locked environment first (its own layer: rebuilt only when the lock changes).
COPY requirements.lock ./
RUN /opt/ledger/bin/pip install --require-hashes --no-deps --only-binary=:all: \
        -r requirements.lock \
 && /opt/ledger/bin/pip check
# Then the project, with nothing more: what it needs is already there, from the lock.
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY projections ./projections
COPY web ./web
COPY migrations ./migrations
RUN /opt/ledger/bin/pip install --no-deps . \
 && /opt/ledger/bin/pip check \
 && /opt/ledger/bin/ledger --help >/dev/null

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="initiative-ledger" \
      org.opencontainers.image.description="Tamper-evident, event-sourced record of cadres' innovation initiatives" \
      org.opencontainers.image.licenses="Apache-2.0"
# The certificates (web/certificate.py, WeasyPrint) lay text out with Pango and write it in
# DejaVu, whose fonts cover Vietnamese.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid: key files mounted from the host (./secrets) must be readable by it.
RUN groupadd --system --gid 10001 ledger \
 && useradd --system --uid 10001 --gid ledger --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin ledger \
 && install -d -o ledger -g ledger -m 0700 /var/lib/witness
COPY --from=build /opt/ledger /opt/ledger
# XDG_RUNTIME_DIR: where gunicorn puts its control socket (`gunicornc`); the user has no home.
ENV PATH=/opt/ledger/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    XDG_RUNTIME_DIR=/tmp \
    LEDGER_ENV=production \
    PORT=8000
# An empty working directory the user cannot write: the relative defaults under var/ are
# development ones (compose.yaml sets every path), and nothing is written beside the code.
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# The Procfile's web line (its LEDGER_ENV default is the ENV above); `exec` keeps gunicorn as
# the process that receives the container's SIGTERM.
CMD ["sh", "-c", "exec gunicorn --config python:web.gunicorn_conf --workers 2 --threads 4 --bind 0.0.0.0:${PORT:-8000} 'web:create_app()'"]
