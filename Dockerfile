# Careline image: the front-end built with Node, served by the Python app.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/web/frontend
COPY web/frontend/package.json web/frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY chat ./chat
COPY queues ./queues
COPY orders ./orders
COPY customers ./customers
COPY bots ./bots
COPY web ./web
COPY --from=frontend /src/web/static/dist ./web/static/dist
RUN pip install --no-cache-dir . && useradd --system --home /app careline
USER careline
ENV CARELINE_HOST=0.0.0.0 CARELINE_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz')" || exit 1
CMD ["careline", "serve"]
