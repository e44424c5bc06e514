"""Settings shared by every environment; everything that varies comes from the environment."""

from datetime import date, timedelta
from pathlib import Path

import environ

from .database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "training",
    "referrals",
    "screening",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PublicApiRateLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AuditContextMiddleware",
    # After messages, so an expired session can say why it ended.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of authentication for every request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
            ],
        },
    },
]

# Persistent, health-checked connections; or a psycopg pool when DJANGO_DB_POOL_MAX_SIZE is set
# (PostgreSQL only). See config/settings/database.py and docs/deployment.md.
DATABASES = {
    "default": database_settings(
        env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"), env
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out (username, IP) pair before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day, for both reset and verification links

# Local accounts: an email address and password, made by signing up here. Turn them off for
# organisations that sign in with NHS CIS2: sign-up, email verification, and password sign-in
# and reset are then closed to everyone but site admins, so the service can be administered.
LOCAL_ACCOUNTS_ENABLED = env.bool("LOCAL_ACCOUNTS_ENABLED", default=True)
# Sign-up is open only to these email domains (and their subdomains).
ACCEPTED_EMAIL_DOMAINS = env.list("ACCEPTED_EMAIL_DOMAINS", default=["nhs.net", "nhs.uk"])

# --- NHS CIS2 (Care Identity Service 2) sign-in: OpenID Connect, see docs/cis2.md -------------
# Off unless CIS2_ISSUER, CIS2_CLIENT_ID and CIS2_PRIVATE_KEY are all set; then the sign-in page
# offers "Sign in with NHS CIS2". The issuers of CIS2's integration and live environments are in
# docs/cis2.md. CIS2 users are never subject to the practice move confirmation: CIS2 says where
# they work.
CIS2_ISSUER = env.str("CIS2_ISSUER", default="")
CIS2_CLIENT_ID = env.str("CIS2_CLIENT_ID", default="")
# The service's own RSA private key (PEM) that signs its client assertions (private_key_jwt);
# its public half is published at /accounts/cis2/jwks.json for CIS2 to check them.
CIS2_PRIVATE_KEY = env.str("CIS2_PRIVATE_KEY", default="", multiline=True)
# The key's "kid"; empty: its RFC 7638 thumbprint.
CIS2_PRIVATE_KEY_ID = env.str("CIS2_PRIVATE_KEY_ID", default="")
# Public keys (PEM, one after another) still published while CIS2 moves over to a new key.
CIS2_RETIRED_PUBLIC_KEYS = env.str("CIS2_RETIRED_PUBLIC_KEYS", default="", multiline=True)
CIS2_SCOPES = "openid profile email nationalrbacaccess selectedrole associatedorgs"
# Authentication assurance asked for, and the acr values an ID token may carry: AAL2 or above.
CIS2_ACR_VALUES = env.str("CIS2_ACR_VALUES", default="AAL2_OR_AAL3_ANY")
CIS2_ACCEPTED_ACR = env.list(
    "CIS2_ACCEPTED_ACR", default=["AAL2_OR_AAL3_ANY", "AAL2_ANY", "AAL3_ANY"]
)
CIS2_ID_TOKEN_ALGORITHMS = env.list("CIS2_ID_TOKEN_ALGORITHMS", default=["RS256", "RS512"])
# National RBAC role codes to our roles. A key is a whole role code ("S8000:G8000:R8000") or
# its job role, the last part ("R8000"); a whole code wins. A value is gp, practice_nurse,
# other_clinician or practice_staff (at a GP practice), icb_admin (at an ICB), or an object
# giving one for each: {"practice": ..., "icb": ...}. A code not here gets no access.
CIS2_ROLE_MAP = env.json(
    "CIS2_ROLE_MAP",
    default={
        "R8000": "gp",  # Clinical Practitioner Access Role
        "R0260": "gp",  # General Medical Practitioner
        "R0270": "gp",  # Salaried General Practitioner
        "R6200": "gp",  # GP Registrar
        "R6300": "gp",  # Sessional GP
        "R8001": "practice_nurse",  # Nurse Access Role
        "R8003": "other_clinician",  # Health Professional Access Role
        "R8006": "practice_staff",  # Medical Secretary Access Role
        "R8008": "practice_staff",  # Admin/Clinical Support Access Role
        "R8009": "practice_staff",  # Receptionist Access Role
        "R8010": "practice_staff",  # Clerical Access Role
        # Health Service Management Access Role: practice managers, and ICB managers.
        "R8013": {"practice": "practice_staff", "icb": "icb_admin"},
    },
)
# Who people refused at sign-in (no usable role, an organisation not set up here) should contact.
CIS2_SUPPORT_CONTACT = env.str(
    "CIS2_SUPPORT_CONTACT", default="the Spotting Stalking service team at your ICB"
)
CIS2_HTTP_TIMEOUT = env.float("CIS2_HTTP_TIMEOUT", default=10.0)
# How long CIS2's discovery document and signing keys are kept before being fetched again (a
# token signed with a key not yet seen fetches the keys at once).
CIS2_METADATA_CACHE_SECONDS = env.int("CIS2_METADATA_CACHE_SECONDS", default=3600)
CIS2_CLOCK_LEEWAY_SECONDS = env.int("CIS2_CLOCK_LEEWAY_SECONDS", default=60)
# --- end of NHS CIS2 --------------------------------------------------------------------------

# Login throttling: lock the (username, IP) pair, so nobody can lock a clinician out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Password spraying: failed sign-ins from one address across all accounts, per cool-off period
# (AXES_COOLOFF_TIME), before that address may not try again until the period ends. High enough
# for a practice whose whole team shares one address.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30)
# New verification links one address may be sent in an hour.
VERIFICATION_RESEND_LIMIT = env.int("VERIFICATION_RESEND_LIMIT", default=5)
# Years after which a certificate should be refreshed by taking the course again.
TRAINING_REFRESH_YEARS = env.int("TRAINING_REFRESH_YEARS", default=3)
# The first month reports offer as a period (the service began in the 2024 to 2025 year).
REPORTING_FIRST_MONTH = date.fromisoformat(env.str("REPORTING_FIRST_MONTH", default="2024-04-01"))
# Requests a minute one address may make to the public Open Referral UK API.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)
API_RATE_LIMIT_PREFIX = "/api/"
# Rate limits count in this cache. Production needs one shared by every worker and server
# (redis://...); the local-memory default counts per process, which is enough for one
# development server and for tests.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# England by ICB compares whole boards, the same for everyone who asks: counted at most this
# often per period (reporting.selectors.boards).
REPORTING_BOARDS_CACHE_SECONDS = env.int("REPORTING_BOARDS_CACHE_SECONDS", default=300)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Load balancers in front of the app that append to X-Forwarded-For (docs/deployment.md); the
# client address for throttling and the audit log is read accordingly (core/audit.py).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.audit.client_network"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions end after this long without a request, and this long after signing in whatever happens.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

# Two-factor authentication (django-otp): available to everyone; production requires it of admins.
OTP_REQUIRED_FOR_ADMINS = False
OTP_TOTP_ISSUER = "Spotting Stalking (NHS)"
# Wrong codes before the second sign-in step is locked for that user, and for how long.
OTP_FAILURE_LIMIT = 5
OTP_LOCKOUT_TIME = timedelta(minutes=15)
# Our lock above replaces django-otp's growing delays, which would silently refuse a correct
# code typed a second after a wrong one. Failures are still counted on each device.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Site admins can remove a lost device in the admin, but never see anyone's key or codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Built by `make assets` from the npm packages (never committed): the compiled NHS.UK styles,
# the NHS.UK script and its images.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = False

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Spotting Stalking <no-reply@spotting-stalking.nhs.uk>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content Security Policy (django-csp 4): only our own scripts and styles, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # NHS.UK frontend loads the Frutiger web font from the NHS assets server.
        "font-src": ["'self'", "https://assets.nhs.uk"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Screenings are deleted after this many days by `manage.py purge_screenings` (run daily).
SCREENING_RETENTION_DAYS = env.int("SCREENING_RETENTION_DAYS", default=365)

SERVICE_NAME = "Spotting Stalking"
SERVICE_PHASE = env("SERVICE_PHASE", default="beta")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins and lockouts are logged at WARNING; the routine bookkeeping is not.
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
