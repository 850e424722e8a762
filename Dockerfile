# CPU image of Diptych. Models are mounted at /app/models (see `diptych models download`)
# or fetched from the Hugging Face Hub at first run into /app/hf-cache.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 HF_HOME=/app/hf-cache PYTHONUNBUFFERED=1
WORKDIR /app

# The CPU build of torch, from PyTorch's CPU index: the default index would pull CUDA wheels.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY models/catalog.toml models/README.md ./models/
COPY seeds ./seeds
RUN pip install -e .

VOLUME ["/app/models", "/app/outputs", "/app/hf-cache"]
ENTRYPOINT ["diptych"]
CMD ["run"]
