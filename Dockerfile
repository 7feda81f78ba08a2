# The hub's image for docker-compose.yml: the console (gunicorn) by default, a worker with
# `python manage.py qcluster`. Configuration comes from the environment (see .env.example).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    INTEGRATION_HUB_DATA_DIR=/data \
    STATIC_ROOT=/static

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e . \
    && useradd --system --home-dir /app hub \
    && mkdir -p /data /static \
    && chown hub:hub /data /static
USER hub

EXPOSE 8000
# Inside a container gunicorn listens on every interface; the proxy in front is another container
# or the host, so it may say the request was https.
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--forwarded-allow-ips", "*", "integration_hub.wsgi"]
