# runware-mock: the fake Runware videoInference service in a container.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY contracts ./contracts
COPY mock_server ./mock_server
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 runware

USER 10001
ENV XDG_DATA_HOME=/home/runware/.local/share
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["runware-mock", "serve", "--host", "0.0.0.0", "--port", "8000"]
