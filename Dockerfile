# CPU image of Diptych. Models are mounted at /app/models (see `diptych models download`)
# or fetched from the Hugging Face Hub at first run into /app/hf-cache; translations are
# cached in /app/cache, a volume of its own, so that a run resumed in a new container
# (after a kill, or with more inputs) translates only what is not yet cached.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1 \
    HF_HOME=/app/hf-cache DIPTYCH_CACHE_DIR=/app/cache
WORKDIR /app

# The CPU build of torch, from PyTorch's CPU index: the default index would pull CUDA wheels.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY models/catalog.toml models/README.md ./models/
COPY seeds ./seeds
RUN pip install -e .

# Not root: files written into mounted folders belong to an ordinary user (uid 1000 by
# default, the first user of most Linux machines; `docker run -u "$(id -u):$(id -g)"`
# gives them the host user's exactly). The folders that become volumes are made and
# owned here, so that a new named volume starts writable by that user.
ARG UID=1000
RUN useradd --uid "${UID}" --create-home --shell /usr/sbin/nologin diptych \
    && mkdir -p /app/outputs /app/hf-cache /app/cache \
    && chown -R diptych:diptych /app/models /app/outputs /app/hf-cache /app/cache
USER diptych

VOLUME ["/app/models", "/app/outputs", "/app/hf-cache", "/app/cache"]
ENTRYPOINT ["diptych"]
CMD ["run"]
