"""NHS CIS2 sign-in over OpenID Connect: the protocol, the checks on every token, and the rule
that turns the CIS2 role a person chose into a role here (docs/cis2.md).

Authlib's OAuth 2 client builds the authorisation request (with PKCE, S256) and the token
request (authenticated with `private_key_jwt`, signed with the service's own key); joserfc
checks signatures against the keys CIS2 publishes. Neither needs `requests`: their few HTTP
calls go through urllib here (http_request). What a sign-in writes is in accounts.services
(cis2_user_sign_in).
"""

import functools
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import urlencode, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.client import OAuth2Client
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jws import extract_compact

from accounts.models import ICB, Practice, ProfessionalRole, Role

logger = logging.getLogger(__name__)

# Why a sign-in did not go through; each has its own page (templates/accounts/cis2_failed.html).
PROVIDER_UNAVAILABLE = "provider_unavailable"
SIGN_IN_EXPIRED = "sign_in_expired"  # no sign-in in this session waits for this answer
SIGN_IN_CANCELLED = "sign_in_cancelled"  # CIS2 answered with an error (the person cancelled)
TOKEN_REJECTED = "token_rejected"  # noqa: S105 - a reason, not a secret
ASSURANCE_TOO_LOW = "assurance_too_low"
NO_SELECTED_ROLE = "no_selected_role"
ROLE_NOT_RECOGNISED = "role_not_recognised"
ROLE_DOES_NOT_FIT = "role_does_not_fit"
UNKNOWN_ORGANISATION = "unknown_organisation"
PRACTICE_CLOSED = "practice_closed"
ACCOUNT_TURNED_OFF = "account_turned_off"

# The kinds of organisation a CIS2 role can be at, as CIS2_ROLE_MAP names them.
AT_PRACTICE = "practice"
AT_ICB = "icb"
PRACTICE_ROLES = frozenset(ProfessionalRole.values)
ICB_ROLES = frozenset({"icb_admin"})

# A client assertion is good for this long: enough for one token request.
ASSERTION_LIFETIME = 5 * 60
# A used nonce is remembered for this long; ID tokens live minutes, so a replay cannot outlast it.
NONCE_MEMORY = 24 * 60 * 60
# Keys are fetched again for an unknown kid at most this often, so tokens posted to the public
# logout endpoint with made-up key IDs cannot make us fetch CIS2's keys on every request.
KEYS_REFETCH_INTERVAL = 60
# A logout token older than this is refused; its jti is remembered for as long.
LOGOUT_TOKEN_MAX_AGE = 10 * 60
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
MAX_RESPONSE_BYTES = 1_000_000


class CIS2Failure(Exception):
    """Why a CIS2 sign-in or logout did not go through.

    `reason` picks the page the person sees; `detail` is for the log and the audit log (never a
    token, never anything about a patient); `context` fills the page (a role or ODS code).
    """

    def __init__(self, reason: str, detail: str = "", **context):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.context = context
        self.sub = ""  # who CIS2 said signed in, once the ID token has been checked
        self.email = ""


def enabled() -> bool:
    """Return whether CIS2 sign-in is configured: an issuer, a client ID and our private key."""
    return bool(settings.CIS2_ISSUER and settings.CIS2_CLIENT_ID and settings.CIS2_PRIVATE_KEY)


# HTTP, over urllib --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpResponse:
    """The parts of an HTTP response that Authlib's client and these checks read."""

    status_code: int
    content: bytes

    def json(self):
        return json.loads(self.content.decode("utf-8"))

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise CIS2Failure(PROVIDER_UNAVAILABLE, f"CIS2 answered HTTP {self.status_code}")


def http_request(method: str, url: str, *, body: bytes | None = None, headers=None) -> HttpResponse:
    """Make one HTTP request to CIS2; an unreachable or slow CIS2 raises PROVIDER_UNAVAILABLE."""
    if urlsplit(url).scheme not in ("https", "http"):
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"not an HTTP address: {url[:100]!r}")
    # The scheme is checked above: only http and https addresses are ever opened.
    request = urlrequest.Request(url, data=body, method=method, headers=dict(headers or {}))  # noqa: S310
    try:
        with urlrequest.urlopen(request, timeout=settings.CIS2_HTTP_TIMEOUT) as response:  # noqa: S310
            return HttpResponse(response.status, response.read(MAX_RESPONSE_BYTES))
    except urlerror.HTTPError as exc:
        return HttpResponse(exc.code, exc.read(MAX_RESPONSE_BYTES))
    except (urlerror.URLError, OSError, ValueError) as exc:
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"{method} {url}: {exc}") from exc


class _UrllibSession:
    """The part of a requests session that Authlib's OAuth2Client calls: post with form data and
    a client authentication that signs the body (`auth.prepare`)."""

    def post(self, url, data=None, headers=None, auth=None, **kwargs):
        body = urlencode(data or {})
        headers = dict(headers or {})
        if auth is not None:
            url, headers, body = auth.prepare("POST", url, headers, body)
        return http_request("POST", url, body=body.encode("utf-8"), headers=headers)

    def request(self, method, url, headers=None, auth=None, **kwargs):
        return http_request(method, url, headers=headers)


def _fetch_json(url: str) -> dict:
    response = http_request("GET", url, headers={"Accept": "application/json"})
    response.raise_for_status()
    try:
        data = response.json()
    except ValueError as exc:
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"{url} did not answer with JSON") from exc
    if not isinstance(data, dict):
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"{url} did not answer with a JSON object")
    return data


def _cache_key(*parts: str) -> str:
    issuer = hashlib.sha256(settings.CIS2_ISSUER.encode()).hexdigest()[:16]
    return ":".join(("cis2", issuer, *parts))


# What CIS2 publishes ------------------------------------------------------------------------------

METADATA_FIELDS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


def provider_metadata() -> dict:
    """Return CIS2's discovery document, from the cache or from
    <issuer>/.well-known/openid-configuration; it must name the configured issuer."""
    key = _cache_key("metadata")
    metadata = cache.get(key)
    if metadata is not None:
        return metadata
    url = settings.CIS2_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
    metadata = _fetch_json(url)
    if metadata.get("issuer") != settings.CIS2_ISSUER:
        raise CIS2Failure(
            PROVIDER_UNAVAILABLE,
            f"discovery names issuer {str(metadata.get('issuer'))[:200]!r}, "
            f"not CIS2_ISSUER {settings.CIS2_ISSUER!r}",
        )
    missing = [name for name in METADATA_FIELDS if not isinstance(metadata.get(name), str)]
    if missing:
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"discovery has no {', '.join(missing)}")
    cache.set(key, metadata, settings.CIS2_METADATA_CACHE_SECONDS)
    return metadata


def provider_keys(*, refresh: bool = False) -> KeySet:
    """Return the keys CIS2 signs tokens with (its JWKS), from the cache unless `refresh`."""
    key = _cache_key("jwks")
    data = None if refresh else cache.get(key)
    if data is None:
        data = _fetch_json(provider_metadata()["jwks_uri"])
        cache.set(key, data, settings.CIS2_METADATA_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"CIS2's keys cannot be read: {exc}") from exc


def _kids(keys: KeySet) -> set:
    return {k.kid for k in keys}


def _verified(token: str) -> jwt.Token:
    """Return a JWT from CIS2 whose signature is good, checked with the key its header names.

    A kid we have not seen means CIS2 has rotated its keys: they are fetched again, once (and
    at most every KEYS_REFETCH_INTERVAL), before the token is refused.
    """
    try:
        header = extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeEncodeError, AttributeError) as exc:
        raise CIS2Failure(TOKEN_REJECTED, "not a signed JWT") from exc
    kid = header.get("kid")
    keys = provider_keys()
    if kid not in _kids(keys) and cache.add(_cache_key("jwks-refetched"), 1, KEYS_REFETCH_INTERVAL):
        keys = provider_keys(refresh=True)
    if kid is None and len(keys.keys) == 1:
        key = keys.keys[0]
    elif kid in _kids(keys):
        key = keys.get_by_kid(kid)
    else:
        raise CIS2Failure(
            TOKEN_REJECTED, f"signed with key {str(kid)[:60]!r}, which CIS2 does not publish"
        )
    try:
        return jwt.decode(token, key, algorithms=settings.CIS2_ID_TOKEN_ALGORITHMS)
    except (JoseError, ValueError) as exc:
        raise CIS2Failure(TOKEN_REJECTED, f"signature or format: {exc}") from exc


# Our key and client -------------------------------------------------------------------------------

PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)


@functools.lru_cache(maxsize=4)
def _signing_key(pem: str, kid: str) -> RSAKey:
    key = RSAKey.import_key(pem)
    if not key.is_private:
        raise ValueError("CIS2_PRIVATE_KEY must be a private key")
    return RSAKey.import_key(
        pem, parameters={"kid": kid or key.thumbprint(), "use": "sig", "alg": "RS256"}
    )


def service_signing_key() -> RSAKey:
    """Return the service's private key (CIS2_PRIVATE_KEY), with its kid."""
    return _signing_key(settings.CIS2_PRIVATE_KEY, settings.CIS2_PRIVATE_KEY_ID)


def service_jwks() -> dict:
    """Return the public keys CIS2 checks our client assertions with: the signing key's, and
    any retired ones still published while CIS2 moves over (CIS2_RETIRED_PUBLIC_KEYS)."""
    keys = [service_signing_key().as_dict(private=False)]
    for pem in PEM_BLOCK.findall(settings.CIS2_RETIRED_PUBLIC_KEYS or ""):
        retired = RSAKey.import_key(pem)
        keys.append(
            RSAKey.import_key(
                pem, parameters={"kid": retired.thumbprint(), "use": "sig", "alg": "RS256"}
            ).as_dict(private=False)
        )
    return {"keys": keys}


class _ClientAssertion(PrivateKeyJWT):
    """`private_key_jwt`: a short-lived assertion signed with our key, naming its kid."""

    def sign(self, auth, token_endpoint):
        key = auth.client_secret
        return private_key_jwt_sign(
            key,
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            alg="RS256",
            header={"kid": key.kid},
            expires_in=ASSERTION_LIFETIME,
        )


def _client(metadata: dict, redirect_uri: str) -> OAuth2Client:
    client = OAuth2Client(
        _UrllibSession(),
        client_id=settings.CIS2_CLIENT_ID,
        client_secret=service_signing_key(),
        token_endpoint_auth_method="private_key_jwt",  # noqa: S106 - a method name
        scope=settings.CIS2_SCOPES,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    client.register_client_auth_method(_ClientAssertion(metadata["token_endpoint"]))
    return client


# The sign-in --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CIS2Identity:
    """Who CIS2 says signed in, and the role they chose for this session."""

    sub: str
    sid: str
    acr: str
    name: str
    email: str
    role_id: str
    role_code: str
    role_name: str
    org_code: str


def authorization_start(*, redirect_uri: str) -> tuple[str, dict]:
    """Return the CIS2 address to send the browser to, and what the callback must check."""
    metadata = provider_metadata()
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _ = _client(metadata, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"],
        state=state,
        code_verifier=verifier,
        nonce=nonce,
        acr_values=settings.CIS2_ACR_VALUES or None,
    )
    pending = {
        "state": state,
        "nonce": nonce,
        "code_verifier": verifier,
        "redirect_uri": redirect_uri,
        "started": time.time(),
    }
    return url, pending


def authorization_finish(*, pending: dict, code: str) -> CIS2Identity:
    """Swap the code for tokens, check the ID token, read userinfo and the selected role."""
    metadata = provider_metadata()
    client = _client(metadata, pending["redirect_uri"])
    try:
        token = client.fetch_token(
            metadata["token_endpoint"], code=code, code_verifier=pending["code_verifier"]
        )
    except OAuth2Error as exc:
        raise CIS2Failure(TOKEN_REJECTED, f"token endpoint refused: {exc.error}") from exc
    except ValueError as exc:
        raise CIS2Failure(PROVIDER_UNAVAILABLE, f"token endpoint: {exc}") from exc
    access_token = token.get("access_token")
    if not access_token:
        raise CIS2Failure(TOKEN_REJECTED, "the token response has no access token")
    claims = id_token_validate(
        token.get("id_token"), nonce=pending["nonce"], access_token=access_token
    )
    userinfo = userinfo_fetch(metadata, access_token)
    if userinfo.get("sub") != claims["sub"]:
        raise CIS2Failure(TOKEN_REJECTED, "userinfo is about someone other than the ID token")
    try:
        role = selected_role(userinfo)
    except CIS2Failure as failure:
        failure.sub, failure.email = claims["sub"], str(userinfo.get("email") or "")[:254]
        raise
    name = userinfo.get("name") or " ".join(
        part for part in (userinfo.get("given_name"), userinfo.get("family_name")) if part
    )
    return CIS2Identity(
        sub=claims["sub"],
        sid=str(claims.get("sid") or ""),
        acr=claims["acr"],
        name=str(name or "")[:150],
        email=str(userinfo.get("email") or "")[:254],
        role_id=str(role["person_roleid"]),
        role_code=str(role["role_code"]),
        role_name=str(role.get("role_name") or ""),
        org_code=str(role["org_code"]).strip().upper(),
    )


def id_token_validate(id_token, *, nonce: str, access_token: str | None = None) -> dict:
    """Return the ID token's claims once its signature, issuer, audience, expiry, nonce (once
    only) and authentication assurance (acr in CIS2_ACCEPTED_ACR) are all good."""
    if not isinstance(id_token, str) or not id_token:
        raise CIS2Failure(TOKEN_REJECTED, "the token response has no ID token")
    token = _verified(id_token)
    claims = CodeIDToken(
        token.claims,
        token.header,
        options={
            "iss": {"essential": True, "value": settings.CIS2_ISSUER},
            "aud": {"essential": True, "value": settings.CIS2_CLIENT_ID},
            "nonce": {"essential": True},
        },
        params={"nonce": nonce, "client_id": settings.CIS2_CLIENT_ID, "access_token": access_token},
    )
    try:
        claims.validate(leeway=settings.CIS2_CLOCK_LEEWAY_SECONDS)
    except ExpiredTokenError as exc:
        raise CIS2Failure(TOKEN_REJECTED, "the ID token has expired") from exc
    except JoseError as exc:
        raise CIS2Failure(TOKEN_REJECTED, f"ID token {exc.error}: {exc.description}") from exc
    acr = claims.get("acr")
    if acr not in settings.CIS2_ACCEPTED_ACR:
        raise CIS2Failure(ASSURANCE_TOO_LOW, f"acr {str(acr)[:60]!r}", acr=str(acr or ""))
    if not nonce_consume(nonce):
        raise CIS2Failure(TOKEN_REJECTED, "the ID token's nonce has been used already")
    return dict(claims)


def nonce_consume(nonce: str) -> bool:
    """Mark a nonce used; return False if it was used already (a replayed ID token)."""
    digest = hashlib.sha256(nonce.encode()).hexdigest()
    return cache.add(_cache_key("nonce", digest), 1, NONCE_MEMORY)


def userinfo_fetch(metadata: dict, access_token: str) -> dict:
    """Return what CIS2's userinfo endpoint says about the person signed in."""
    response = http_request(
        "GET",
        metadata["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    response.raise_for_status()
    try:
        data = response.json()
    except ValueError as exc:
        raise CIS2Failure(PROVIDER_UNAVAILABLE, "userinfo did not answer with JSON") from exc
    if not isinstance(data, dict):
        raise CIS2Failure(PROVIDER_UNAVAILABLE, "userinfo did not answer with a JSON object")
    return data


def selected_role(userinfo: dict) -> dict:
    """Return the national RBAC role the person chose at sign-in: among `nhsid_nrbac_roles`,
    the one whose `person_roleid` is `selected_roleid`; it must name a role and organisation."""
    selected = userinfo.get("selected_roleid")
    roles = userinfo.get("nhsid_nrbac_roles")
    if not selected or not isinstance(roles, list):
        raise CIS2Failure(NO_SELECTED_ROLE, "no selected_roleid, or no nhsid_nrbac_roles")
    for role in roles:
        if isinstance(role, dict) and str(role.get("person_roleid")) == str(selected):
            if not role.get("role_code") or not role.get("org_code"):
                raise CIS2Failure(NO_SELECTED_ROLE, "the selected role has no role or org code")
            return role
    raise CIS2Failure(NO_SELECTED_ROLE, "selected_roleid is none of nhsid_nrbac_roles")


# Which role here ----------------------------------------------------------------------------------


def mapped_role(role_code: str, organisation: str, role_map: dict) -> str | None:
    """Return our role for a CIS2 role code held at a practice or an ICB, or None.

    The whole role code ("S8000:G8000:R8000") is looked up in the map first, then its job role,
    the last part ("R8000"). An entry names a practice role (gp, practice_nurse,
    other_clinician, practice_staff), or icb_admin (an ICB role), or gives one for each kind of
    organisation. A code with no entry for this kind of organisation gets no role: nothing is
    ever guessed.
    """
    code = (role_code or "").strip()
    for key in (code, code.rsplit(":", 1)[-1]):
        if key in role_map:
            entry = role_map[key]
            break
    else:
        return None
    if isinstance(entry, str):
        entry = {AT_ICB: entry} if entry in ICB_ROLES else {AT_PRACTICE: entry}
    role = entry.get(organisation) if isinstance(entry, dict) else None
    allowed = PRACTICE_ROLES if organisation == AT_PRACTICE else ICB_ROLES
    return role if role in allowed else None


def role_map_problems(role_map) -> list[str]:
    """Return what is wrong with a CIS2_ROLE_MAP, in words (for the system check)."""
    if not isinstance(role_map, dict):
        return ["CIS2_ROLE_MAP must be a JSON object of role codes"]
    problems = []
    for key, entry in role_map.items():
        entries = entry if isinstance(entry, dict) else {None: entry}
        for kind, role in entries.items():
            if kind not in (None, AT_PRACTICE, AT_ICB):
                problems.append(f"{key}: {kind!r} is not 'practice' or 'icb'")
            elif kind == AT_ICB and role not in ICB_ROLES:
                problems.append(f"{key}: at an ICB the role must be icb_admin, not {role!r}")
            elif kind == AT_PRACTICE and role not in PRACTICE_ROLES:
                problems.append(
                    f"{key}: at a practice the role must be one of "
                    f"{', '.join(sorted(PRACTICE_ROLES))}, not {role!r}"
                )
            elif kind is None and role not in PRACTICE_ROLES | ICB_ROLES:
                problems.append(f"{key}: {role!r} is not a role here")
    return problems


@dataclass(frozen=True)
class CIS2Access:
    """What a CIS2 sign-in gives: a role here and the organisation it is at."""

    role: str
    professional_role: str
    practice: Practice | None
    icb: ICB | None

    def describe(self) -> str:
        if self.role == Role.ICB_ADMIN:
            return f"ICB admin for {self.icb.short_name} ({self.icb.ods_code})"
        label = ProfessionalRole(self.professional_role).label
        return f"{label} at {self.practice} in {self.practice.icb.short_name}"


def access_for(identity: CIS2Identity) -> CIS2Access:
    """Return the role and organisation the selected CIS2 role gives here, or refuse.

    The organisation must be a GP practice we hold (and open), which sets the practice and so
    the ICB, or an ICB in existence today, which sets the ICB for an ICB admin; the role code
    must map (mapped_role) to a role for that kind of organisation.
    """
    context = {
        "org_code": identity.org_code,
        "role_code": identity.role_code,
        "role_name": identity.role_name,
    }
    practice = Practice.objects.select_related("icb").filter(ods_code=identity.org_code).first()
    icb = None
    if practice is None:
        icb = ICB.objects.current().filter(ods_code=identity.org_code).first()
        if icb is None:
            raise CIS2Failure(UNKNOWN_ORGANISATION, f"organisation {identity.org_code}", **context)
    organisation = AT_PRACTICE if practice else AT_ICB
    role = mapped_role(identity.role_code, organisation, settings.CIS2_ROLE_MAP)
    if role is None:
        other = AT_ICB if organisation == AT_PRACTICE else AT_PRACTICE
        fits_elsewhere = mapped_role(identity.role_code, other, settings.CIS2_ROLE_MAP)
        raise CIS2Failure(
            ROLE_DOES_NOT_FIT if fits_elsewhere else ROLE_NOT_RECOGNISED,
            f"role {identity.role_code} at {organisation} {identity.org_code}",
            organisation_kind=organisation,
            **context,
        )
    if practice is not None and practice.is_closed:
        raise CIS2Failure(
            PRACTICE_CLOSED, f"practice {practice.ods_code} closed", practice=practice, **context
        )
    if role in ICB_ROLES:
        return CIS2Access(role=Role.ICB_ADMIN, professional_role="", practice=None, icb=icb)
    return CIS2Access(role=Role.CLINICIAN, professional_role=role, practice=practice, icb=None)


# Back-channel logout ------------------------------------------------------------------------------


def logout_token_validate(token) -> tuple[str, str]:
    """Return (sub, sid) from a back-channel logout token once it passes every check of OpenID
    Connect Back-Channel Logout 1.0, 2.6: CIS2's signature, issuer, audience, a recent iat, the
    logout event, a sub or sid, no nonce, and a jti not seen before."""
    if not isinstance(token, str) or not token:
        raise CIS2Failure(TOKEN_REJECTED, "no logout_token")
    verified = _verified(token)
    typ = verified.header.get("typ")
    if typ not in (None, "JWT", "logout+jwt"):
        raise CIS2Failure(TOKEN_REJECTED, f"logout token of type {str(typ)[:40]!r}")
    claims = verified.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=settings.CIS2_CLOCK_LEEWAY_SECONDS,
        iss={"essential": True, "value": settings.CIS2_ISSUER},
        aud={"essential": True, "value": settings.CIS2_CLIENT_ID},
        iat={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise CIS2Failure(TOKEN_REJECTED, f"logout token {exc.error}: {exc.description}") from exc
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict):
        raise CIS2Failure(TOKEN_REJECTED, "logout token without the back-channel logout event")
    if "nonce" in claims:
        raise CIS2Failure(TOKEN_REJECTED, "logout token with a nonce")
    if claims["iat"] < time.time() - LOGOUT_TOKEN_MAX_AGE:
        raise CIS2Failure(TOKEN_REJECTED, "logout token too old")
    sub, sid = claims.get("sub") or "", claims.get("sid") or ""
    if not isinstance(sub, str) or not isinstance(sid, str) or not (sub or sid):
        raise CIS2Failure(TOKEN_REJECTED, "logout token names no sub or sid")
    digest = hashlib.sha256(str(claims["jti"]).encode()).hexdigest()
    if not cache.add(_cache_key("logout-jti", digest), 1, LOGOUT_TOKEN_MAX_AGE * 2):
        raise CIS2Failure(TOKEN_REJECTED, "logout token replayed")
    return sub, sid


def check_settings(app_configs=None, **kwargs):
    """System check: CIS2_ROLE_MAP names only roles that exist, and, with CIS2 on, the private
    key can be read."""
    from django.core.checks import Error

    errors = [
        Error(problem, hint="See CIS2_ROLE_MAP in docs/cis2.md", id="accounts.E101")
        for problem in role_map_problems(settings.CIS2_ROLE_MAP)
    ]
    if enabled():
        try:
            service_signing_key()
        except (JoseError, ValueError, TypeError) as exc:
            errors.append(
                Error(
                    f"CIS2_PRIVATE_KEY cannot be used: {exc}",
                    hint="Give an RSA private key in PEM format (docs/cis2.md)",
                    id="accounts.E102",
                )
            )
    return errors
