"""docker-compose.yml, Dockerfile and xuncha/settings.py must agree with each other.

Pure file checks: no database, no Django settings (works with and without pytest-django).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")
SETTINGS_SOURCE = (ROOT / "xuncha" / "settings.py").read_text(encoding="utf-8")
FAKE_ENV = {
    "SECRET_KEY": "test-secret-key",
    "FIELD_ENCRYPTION_KEY": "bm90LWEtcmVhbC1rZXktYnV0LTMyLWJ5dGVzLWxvbmc=",
    "ALLOWED_HOSTS": "xuncha.example.com",
    "EMAIL_URL": "smtp://mail.example.com:25",
}

_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>\w+))"
)


def interpolate(value, env):
    """Resolve compose's $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}."""

    def replace(match):
        if match["escaped"]:
            return "$"
        name = match["name"] or match["bare"]
        op, arg = match["op"] or "", match["arg"] or ""
        present = name in env and (env[name] != "" or not op.startswith(":"))
        if present:
            return env[name]
        if op.endswith("?"):
            raise KeyError(f"{name}: {arg}")
        return arg if op.endswith("-") else ""

    return _INTERPOLATION.sub(replace, str(value))


def environment(service, env=FAKE_ENV):
    """A service's environment as a dict with interpolations resolved."""
    raw = SERVICES[service].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: interpolate(value, env) for key, value in raw.items()}


def command(service):
    cmd = SERVICES[service].get("command", "")
    return cmd if isinstance(cmd, str) else " ".join(cmd)


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs with line continuations joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.strip().split(None, 1) for line in joined.splitlines())
        if parts
    ]


def test_defines_the_five_services():
    assert set(SERVICES) >= {"postgres", "redis", "web", "worker", "beat"}


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_service_builds_from_repo_dockerfile(service):
    build = SERVICES[service]["build"]
    if isinstance(build, str):
        build = {"context": build}
    context = (ROOT / build["context"]).resolve()
    assert context == ROOT
    assert (context / build.get("dockerfile", "Dockerfile")).is_file()


def test_web_command_points_at_real_wsgi_module():
    match = re.search(r"gunicorn\s+([\w.]+):(\w+)", command("web"))
    assert match, "web must run gunicorn MODULE:APP"
    module, attribute = match.groups()
    source_file = ROOT / Path(*module.split(".")).with_suffix(".py")
    assert source_file.is_file()
    assert re.search(rf"^{attribute}\s*=", source_file.read_text(encoding="utf-8"), re.M)


def test_web_migrates_before_starting_gunicorn():
    cmd = command("web")
    assert "python manage.py migrate --noinput" in cmd
    assert cmd.index("migrate") < cmd.index("gunicorn")
    assert "exec gunicorn" in cmd, "gunicorn must replace the shell to receive SIGTERM"


def test_gunicorn_listens_on_the_published_port():
    bind = re.search(r"--bind\s+[\d.]+:(\d+)", command("web")).group(1)
    container_ports = {str(port).rsplit(":", 1)[-1] for port in SERVICES["web"]["ports"]}
    assert bind in container_ports


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_app_argument_matches_xuncha_celery_module(service):
    app = re.search(r"celery\s+-A\s+(\w+)", command(service)).group(1)
    assert app == "xuncha"
    assert "Celery(" in (ROOT / app / "celery.py").read_text(encoding="utf-8")
    assert "from .celery import app" in (ROOT / app / "__init__.py").read_text(encoding="utf-8")


def test_app_services_share_one_environment():
    envs = [environment(service) for service in APP_SERVICES]
    assert envs[0] == envs[1] == envs[2]


def test_every_app_env_var_is_read_by_settings():
    for name in environment("web"):
        pattern = rf"env\.\w+\(\s*[\"']{re.escape(name)}[\"']"
        assert re.search(pattern, SETTINGS_SOURCE), f"settings.py never reads {name}"


def test_essential_env_vars_are_set():
    env = environment("web")
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert env.get(name), f"{name} is empty"
    assert env["DEBUG"].lower() == "false"


def test_secret_key_has_no_default_in_compose():
    with pytest.raises(KeyError, match="SECRET_KEY"):
        environment("web", env={k: v for k, v in FAKE_ENV.items() if k != "SECRET_KEY"})


def test_the_field_encryption_key_has_no_default_in_compose():
    with pytest.raises(KeyError, match="FIELD_ENCRYPTION_KEY"):
        environment("web", env={k: v for k, v in FAKE_ENV.items() if k != "FIELD_ENCRYPTION_KEY"})


def test_database_url_host_is_the_postgres_service():
    url = urlsplit(environment("web")["DATABASE_URL"])
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "postgres"
    assert url.hostname in SERVICES


def test_redis_url_host_is_the_redis_service():
    url = urlsplit(environment("web")["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert url.hostname in SERVICES


def test_database_credentials_match_postgres_service():
    url = urlsplit(environment("web")["DATABASE_URL"])
    postgres = environment("postgres")
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == postgres["POSTGRES_DB"]
    custom = environment("postgres", env={**FAKE_ENV, "POSTGRES_PASSWORD": "s3cret"})
    assert custom["POSTGRES_PASSWORD"] == "s3cret"


def test_environ_parses_database_url_as_postgresql():
    config = environ.Env.db_url_config(environment("web")["DATABASE_URL"])
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "postgres"
    assert config["NAME"] == "xuncha"


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker", "beat"])
def test_service_has_a_healthcheck(service):
    healthcheck = SERVICES[service].get("healthcheck")
    assert healthcheck, f"{service} has no healthcheck"
    assert not healthcheck.get("disable")
    assert healthcheck["test"]


def test_web_healthcheck_probes_healthz_with_python():
    test = SERVICES["web"]["healthcheck"]["test"]
    probe = test if isinstance(test, str) else " ".join(test)
    assert "http://127.0.0.1:8000/healthz/" in probe
    assert "urllib" in probe
    assert "curl" not in probe


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(service):
    depends_on = SERVICES[service]["depends_on"]
    assert isinstance(depends_on, dict), "use the long depends_on form with conditions"
    assert {"postgres", "redis"} <= set(depends_on)
    for dependency in depends_on.values():
        assert dependency["condition"] == "service_healthy"


def test_exactly_one_beat():
    beats = [name for name in SERVICES if re.search(r"celery\b.*\bbeat\b", command(name))]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_named_volumes_are_declared():
    declared = set(COMPOSE.get("volumes") or {})
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source")
            if source and not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_media_volume_matches_media_root():
    media_root = environment("web")["MEDIA_ROOT"]
    for service in ("web", "worker"):
        targets = [v.split(":")[1] for v in SERVICES[service]["volumes"]]
        assert media_root in targets


def test_dockerfile_installs_pdf_libraries_and_cjk_fonts():
    installs = " ".join(args for op, args in dockerfile_instructions() if op == "RUN")
    assert "apt-get install" in installs
    packages = set(installs.split())
    expected = {"libharfbuzz-subset0", "fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0"}
    assert expected <= packages


def test_dockerfile_does_not_bake_a_secret_key():
    for op, args in dockerfile_instructions():
        if op in {"ENV", "ARG"}:
            assert "SECRET_KEY" not in args


def test_dockerfile_collects_static_and_runs_as_non_root():
    instructions = dockerfile_instructions()
    assert any("collectstatic --noinput" in args for op, args in instructions if op == "RUN")
    users = [args.strip() for op, args in instructions if op == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".venv", ".git", ".pgdata", "media", "staticfiles"} <= ignored
