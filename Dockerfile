# Xuncha (巡察) production image: gunicorn for the web, the same image runs Celery worker/beat.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF reports) needs Pango and HarfBuzz's subsetter; Noto CJK gives it Chinese
# glyphs; gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-noto-cjk \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 xuncha \
    && useradd --system --uid 10001 --gid xuncha --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin xuncha

WORKDIR /app

# Dependencies first so code changes reuse this layer ([tool.setuptools] packages = [],
# so pyproject.toml alone is enough to install them).
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY . .

# The secret key here exists only for this RUN line; it is never stored in the image.
# The source tree stays owned by root (read-only for the app user); only media is writable.
RUN mkdir -p locale media \
    && SECRET_KEY=build-only DEBUG=false python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput \
    && chown xuncha:xuncha media

USER xuncha

EXPOSE 8000

CMD ["gunicorn", "xuncha.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
