"""Settings shared by every environment, read from the environment.

Defaults are safe for development on one machine: an embedded SQLite database, mail on the
console, DEBUG on. Production settings (``production.py``) insist on the real values.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "development" or "production": commands that seed demo data refuse to run in production.
LMB_ENVIRONMENT = "development"

DEBUG = env_bool("DEBUG", True)
# Only for development: production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    # The render queue's tasks, in the app's own database (no broker): `manage.py db_worker`.
    "django_tasks_db",
    "apps.accounts",
    "apps.core",
    "apps.library",
    "apps.beleidsvoorstellen",
    "apps.documents",
    "apps.omgevingsanalyse",
    "apps.meerjarenplan",
    "apps.methods",
    # Last: its demo round runs after the documents' demo loaders.
    "apps.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.permissions_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the middleware that sets headers, so its 400 and 404 pages carry them too.
    "apps.core.middleware.reject_control_characters",
    # Last, as django-axes asks: it turns a lockout into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lmbplanner.urls"
WSGI_APPLICATION = "lmbplanner.wsgi.application"

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
                "apps.core.context_processors.memberships",
                "apps.review.context_processors.notifications",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The zero-setup default of `make run`: an embedded SQLite file under var/.
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# Every write that spans several rows is wrapped in a service's own transaction;
# requests are atomic too so a failing view never leaves half a change behind.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the `make run` default, or any sqlite:// DATABASE_URL) serving a team at once.
    # A transaction that reads first and writes later fails at once with "database is locked"
    # when another one writes, whatever the timeout. IMMEDIATE takes the write lock at BEGIN
    # (with ATOMIC_REQUESTS: for the whole view), so requests queue for it instead, waiting up
    # to `timeout` seconds. WAL: readers and the writer never block each other (the PDF thread,
    # manage.py, work outside the view); synchronous=NORMAL is safe with WAL (no fsync per
    # commit). OPTIONS given in the URL (?timeout=…) win.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses credentials while a username+IP pair is cooling off.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Password-reset mails an hour, counted whether or not the address has an account.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "10"))

# Login throttling: failures are counted per (username, IP) pair, so nobody elsewhere can lock
# an alderman out of their account; a lockout always ends after the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.axes_username"
AXES_VERBOSE = False

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Everything the pages use is served by the app itself, so the policy can stay 'self'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Mail: on the console in development; set EMAIL_HOST (and friends) for a real SMTP server.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# The address links in mails start with (the app's own address as users reach it).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LMB Planner <noreply@lmbplanner.be>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# PDF and Word renders (apps/documents) and approved versions (apps/review) go to the
# "documents" task backend: a durable queue in the app's own database (django-tasks-db), run by
# separate worker processes (`manage.py db_worker --backend documents`, started by `make run`).
# A job survives a restart of the web process or of a worker. Tests run renders immediately.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "documents": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
# Renders running at the same time for one municipality: one municipality printing a lot never
# holds every worker; the others' jobs go first (services.render_queue_work).
RENDER_LIMIT_PER_MUNICIPALITY = int(os.environ.get("RENDER_LIMIT_PER_MUNICIPALITY", "1"))
# A render stops after this many seconds, and a PDF of more pages than this is refused: both
# fail with a message on the job page instead of holding a worker.
RENDER_TIME_LIMIT = int(os.environ.get("RENDER_TIME_LIMIT", "120"))
RENDER_MAX_PAGES = int(os.environ.get("RENDER_MAX_PAGES", "500"))
# A running job still unfinished this many seconds after its time limit lost its worker (killed,
# machine down): it goes back to the queue, up to RENDER_MAX_ATTEMPTS claims in all.
RENDER_LOST_AFTER = int(os.environ.get("RENDER_LOST_AFTER", "30"))
RENDER_MAX_ATTEMPTS = int(os.environ.get("RENDER_MAX_ATTEMPTS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
