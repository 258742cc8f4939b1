"""Settings of the Alpha Sierra portal.

Every value comes from the environment (see ``deploy/alphasierra.env``); with nothing set,
the portal runs locally on a SQLite file, a local-memory cache and an outbox kept
on disk.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP

from alphasierra.env import (
    env_bool,
    env_choice,
    env_database,
    env_directory,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_production_str,
    env_redis_url,
    env_required_str,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "alphasierra"
# Local state (SQLite file, e-mails of the local outbox, collected static files).
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)
# What production cannot do without is required when DEBUG is off.
_LOCAL_DEFAULTS_ALLOWED = DEBUG
# Only a local portal may fall back to a known key: without DEBUG the key is required.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-local-portal-only") if DEBUG else env_required_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The absolute address of the portal, used in e-mails: links must lead to the
# right site even when the message is rendered by the worker, outside a request.
PORTAL_URL = env_production_str(
    "PORTAL_URL",
    debug=_LOCAL_DEFAULTS_ALLOWED,
    default="http://127.0.0.1:8000",
    why="links in e-mails would lead to 127.0.0.1",
).rstrip("/")

INSTALLED_APPS = [
    "alphasierra.accounts.admin_config.PortalAdminConfig",  # django.contrib.admin behind allauth's login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "dsfr",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "alphasierra.organisations",
    "alphasierra.accounts",
    "alphasierra.audit",
    "alphasierra.agents",
    "alphasierra.transfers",
    "alphasierra.associations",
    "alphasierra.activities",
    "alphasierra.content",
    "alphasierra.pages",
    "alphasierra.operations",
    "alphasierra.mail",
    "alphasierra.scheduler",
    "alphasierra.once",
    "alphasierra.french",
]

MIDDLEWARE = [
    # The load balancer's probes and Prometheus' scrape, answered before any
    # other middleware (see alphasierra.operations.middleware), unlogged.
    "alphasierra.operations.middleware.OperationsMiddleware",
    # Then every other request: given the id every log line carries, logged
    # once, timed and counted.
    "alphasierra.operations.request_log.RequestLogMiddleware",
    "alphasierra.operations.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "alphasierra.pages.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alphasierra.pages.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Public pages for anonymous visitors, before anything that reads the
    # session or the database; inside the CSRF middleware, which sets each
    # visitor's CSRF cookie on the pages it serves (see pages.cache).
    "alphasierra.pages.cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alphasierra.accounts.middleware.UserSessionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "alphasierra.organisations.middleware.OrganisationMiddleware",
    "alphasierra.organisations.middleware.TimeZoneMiddleware",
    "alphasierra.associations.middleware.AssociationVisitMiddleware",
]

ROOT_URLCONF = "alphasierra.urls"
WSGI_APPLICATION = "alphasierra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alphasierra.organisations.context_processors.organisation",
                "alphasierra.pages.context_processors.site_shown",
            ],
            "builtins": [
                "alphasierra.once.templatetags.once",
                "alphasierra.organisations.templatetags.zones",
                "alphasierra.french.templatetags.french",
            ],
        },
    },
]
# Project templates override the widget templates of django-dsfr and Django.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "alphasierra.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, the page cache and the sessions' last activity live in the cache
# (sessions themselves in the database): production has several processes,
# which must share it, or each would count failed logins on its own.
env_production_str(
    "REDIS_URL", debug=_LOCAL_DEFAULTS_ALLOWED, default="", why="rate limits would be counted per process"
)
_redis_url = env_redis_url("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The public pages anonymous visitors read are kept this many seconds at most
# (pages.cache), and renewed as soon as what they show changes; what time
# changes on them (the next activities, a news item due) shows within this
# delay. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60, minimum=0)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id with OWASP's minimum parameters (19 MiB, 2 iterations, 1 lane).
PASSWORD_HASHERS = [
    "alphasierra.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "alphasierra.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "alphasierra.accounts.validators.PortalWordsValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: login by e-mail only, confirmation by a link (POST to confirm,
# so that a mail scanner's GET does not consume it), no user enumeration.
ACCOUNT_ADAPTER = "alphasierra.agents.adapter.AgentAccountAdapter"
ACCOUNT_FORMS = {
    "login": "alphasierra.accounts.forms.LoginForm",
    "change_password": "alphasierra.accounts.forms.ChangePasswordForm",
    "reset_password": "alphasierra.accounts.forms.ResetPasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# An e-mail to the person for each security change (password, e-mail, second factor).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# One address per account: a new one replaces the old once confirmed, and
# changing it asks for the password again.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "confirm_email_code": "10/h/key,30/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    # The portal's own sign-up form (agents.views.public.signup): per client
    # address (an office behind one address signs up several agents) and per
    # e-mail address.
    "signup": "10/m/ip,30/h/ip,3/h/key",
}
# Behind a reverse proxy every request comes from the proxy's address: the
# client's is the entry of X-Forwarded-For appended by the proxies we run
# (counted from the right; entries further left are whatever the client sent).
# allauth's limits and the portal's own (allauth.core.ratelimit) read it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
USERSESSIONS_TRACK_ACTIVITY = True
# « Mes sessions ouvertes » shows each session's address, browser and time last
# seen: written again when the address or browser changes, otherwise at most
# this often (accounts.middleware), not at every request as allauth would.
SESSION_ACTIVITY_EVERY = timedelta(minutes=5)

# Second factor (allauth.mfa): required for anyone holding a role before any
# back-office page (see organisations.decorators.backoffice), optional for agents.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Alpha Sierra"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_FORMS = {"activate_totp": "alphasierra.accounts.forms.ActivateTOTPForm"}
# Passkeys need HTTPS, except on the local portal.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Audit events are kept this many days, then deleted by the daily job.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=30)

# A rejected account is kept this many days, for the person to contest the
# decision, then erased by the daily job.
REJECTED_RETENTION_DAYS = env_int("REJECTED_RETENTION_DAYS", 30, minimum=1)

# Internationalisation: French first, English on request.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Images uploaded by the sites' managers (``content``): stored under MEDIA_ROOT
# with random names, served by the portal under MEDIA_URL (``content.views.media``).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Where ``manage.py backup`` writes (README, « Backup and restore »), and how
# many days its backups are kept there before the next backup deletes them.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 14, minimum=0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "alphasierra.staticfiles.PortalStaticFilesStorage"
        )
    },
}

# E-mail. Without EMAIL_HOST, messages are written to files under var/mail/ and
# shown by the development outbox page.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alpha Sierra <ne-pas-repondre@alpha-sierra.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_DOMAIN = env_str("MAIL_DOMAIN", "alpha-sierra.org")
_email_host = env_production_str(
    "EMAIL_HOST", debug=_LOCAL_DEFAULTS_ALLOWED, default="", why="e-mails would be written to files and marked sent"
)
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1),
            },
        }
        if _email_host
        else {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    )
}
# A message that still fails after this many attempts is left for a person to look at.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8, minimum=1)
# Delivered messages hold personal data: they are deleted after this many days.
MAIL_RETENTION_DAYS = env_int("MAIL_RETENTION_DAYS", 90, minimum=1)

# Periodic work, run by "manage.py periodic frequent" (every few minutes) and
# "manage.py periodic daily" from cron or a systemd timer. Each job is a function
# taking no argument; it returns a count that is logged.
PERIODIC_JOBS = {
    "frequent": [
        "alphasierra.mail.services.outbox_retry_due",
        "alphasierra.activities.services.waiting.offers_expire",
    ],
    "daily": [
        "alphasierra.transfers.services.transfers_apply_due",
        "alphasierra.audit.services.audit_purge",
        "alphasierra.agents.services.approval.agents_remind_managers",
        "alphasierra.agents.services.erasure.agents_purge_unconfirmed",
        "alphasierra.agents.services.erasure.agents_purge_rejected",
        "alphasierra.mail.services.outbox_purge",
        "alphasierra.scheduler.jobs.task_results_prune",
        "alphasierra.scheduler.jobs.sessions_purge_expired",
        "alphasierra.accounts.services.usersessions_purge_ended",
        "alphasierra.once.services.form_token_purge",
        # Activities: those over become past, confirmed households reminded.
        "alphasierra.activities.services.daily.activities_end_past",
        "alphasierra.activities.services.daily.activities_remind",
    ],
}

# Security. Production runs behind HTTPS: cookies and HSTS follow DEBUG unless
# explicitly set (a local portal on http://127.0.0.1 must still work).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The language choice (Django's set_language view) is a cookie like the others.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preloading puts the domain in the browsers' built-in lists, which takes months
# to undo: an explicit choice, off unless asked for.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every script is a file of the portal (DSFR's, allauth's for security keys):
# no inline script, hence no nonce, and a public page is the same bytes for
# every visitor, which the page cache (pages.cache) relies on. The JSON blocks
# of allauth's templates (type="application/json") are data, never run.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Operations (alphasierra.operations, README « Health and metrics »). The
# readiness probe says "degraded" once the oldest e-mail or task still waiting
# is older than this many minutes.
HEALTH_QUEUE_DELAY = env_int("HEALTH_QUEUE_DELAY", 15, minimum=1)
# /metrics/ answers a request bearing this token, or coming straight from one
# of these addresses or networks; with neither set, nobody (404).
METRICS_TOKEN = env_secret("METRICS_TOKEN", min_length=32)
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS")
# gunicorn's workers each count on their own: with this folder set (by the app
# server's unit, emptied at each start), prometheus-client keeps every worker's
# counts there and a scrape adds them up. prometheus-client reads the variable
# itself; it is read here to refuse a folder that does not exist.
PROMETHEUS_MULTIPROC_DIR = env_directory("PROMETHEUS_MULTIPROC_DIR")

# One JSON object per line in production, for the operators' log collector;
# plain text on a developer's terminal. Every process logs this way: gunicorn's
# workers, the task workers, the periodic jobs (alphasierra/operations/logs.py).
LOG_FORMAT = env_choice("LOG_FORMAT", ["json", "text"], "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"django_records": {"()": "alphasierra.operations.logs.DjangoRecordFilter"}},
    "formatters": {
        "json": {"()": "alphasierra.operations.logs.JsonFormatter"},
        "text": {"()": "alphasierra.operations.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["django_records"]},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], "INFO"),
    },
    # Django's default configuration gives the "django" logger a console
    # handler of its own, and the record then also reaches the root's: every
    # line printed twice. Here it only passes its records up to the root.
    # ("django.server", runserver's request lines, keeps its own handler and
    # does not propagate: those print once too.)
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# Errors reported to Sentry, only when SENTRY_DSN is set (the package is not
# even imported otherwise), with what could hold personal data taken out
# (alphasierra/operations/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
# Share of requests whose timings are sent too (0: errors only).
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0, maximum=1.0)
if SENTRY_DSN:
    from alphasierra.operations.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)
