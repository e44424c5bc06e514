"""A small, real OpenID Connect provider shaped like NHS CIS2, run by the tests on a local port.

It speaks HTTP in its own thread and does what CIS2 does for this service: discovery, an
authorisation endpoint that approves the configured identity at once (redirecting back with a
one-use code), a token endpoint that checks PKCE (S256) and the client's `private_key_jwt`
assertion against the JWKS the client publishes, a userinfo endpoint with national RBAC roles,
its own JWKS (whose key can be rotated), and signed back-channel logout tokens. Tokens are
signed with RS256 by joserfc.

Knobs for the failure cases: `id_token_claims` overrides claims of the next ID tokens,
`sign_id_tokens_with` signs them with another key, `replay_last_id_token` sends the previous
ID token again, and `identity` is who signs in (None: the person cancels).
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "spotting-stalking-test-client"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@dataclass
class Identity:
    """A person as CIS2 describes them, with their national RBAC roles; one is selected."""

    sub: str
    given_name: str
    family_name: str
    email: str
    roles: list[dict]
    selected_roleid: str | None
    acr: str = "AAL3_ANY"

    @classmethod
    def at(
        cls,
        org_code: str,
        role_code: str = "S8000:G8000:R8000",
        *,
        sub: str = "910000000001",
        given_name: str = "Asha",
        family_name: str = "Patel",
        email: str = "asha.patel@nhs.net",
        role_name: str = '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
        acr: str = "AAL3_ANY",
    ) -> "Identity":
        """Return a person with one role, selected, at the organisation with this ODS code,
        and a second role elsewhere that is not selected (as CIS2 lists every role)."""
        selected = f"{sub}-role-1"
        return cls(
            sub=sub,
            given_name=given_name,
            family_name=family_name,
            email=email,
            roles=[
                {
                    "person_orgid": f"{sub}-org-1",
                    "person_roleid": selected,
                    "org_code": org_code,
                    "role_name": role_name,
                    "role_code": role_code,
                },
                {
                    "person_orgid": f"{sub}-org-2",
                    "person_roleid": f"{sub}-role-2",
                    "org_code": "RR8",
                    "role_name": '"Admin & Clerical":"Systems Support Access Role"',
                    "role_code": "S8001:G8005:R8015",
                },
            ],
            selected_roleid=selected,
            acr=acr,
        )

    def select(self, *, org_code: str, role_code: str) -> None:
        """Move the selected role to another organisation and role code (a later sign-in)."""
        self.roles[0] = {**self.roles[0], "org_code": org_code, "role_code": role_code}

    def userinfo(self) -> dict:
        orgs = [{"org_code": r["org_code"], "org_name": f"Org {r['org_code']}"} for r in self.roles]
        return {
            "sub": self.sub,
            "nhsid_useruid": self.sub,
            "uid": self.sub,
            "name": f"{self.given_name} {self.family_name}",
            "given_name": self.given_name,
            "family_name": self.family_name,
            "email": self.email,
            "idassurancelevel": "3",
            "nhsid_nrbac_roles": self.roles,
            "nhsid_user_orgs": orgs,
            "selected_roleid": self.selected_roleid,
        }


@dataclass
class Provider:
    identity: Identity | None = None
    client_id: str = CLIENT_ID
    client_jwks_url: str = ""
    redirect_uris: set = field(default_factory=set)
    id_token_claims: dict = field(default_factory=dict)
    sign_id_tokens_with: RSAKey | None = None
    replay_last_id_token: bool = False
    # What was asked of it, for the tests to check.
    authorize_requests: list = field(default_factory=list)
    token_requests: list = field(default_factory=list)
    token_errors: list = field(default_factory=list)
    jwks_fetches: int = 0

    def __post_init__(self):
        self.keys = [new_key("provider-key-1")]
        self.signing_key = self.keys[0]
        self._codes: dict[str, dict] = {}
        self._access: dict[str, Identity] = {}
        self._assertion_jtis: set[str] = set()
        self._last_id_token = None
        self._sids: list[str] = []
        self._lock = threading.Lock()
        provider = self

        class Handler(_Handler):
            pass

        Handler.provider = provider
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # Running ----------------------------------------------------------------------------------

    def start(self) -> "Provider":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": self.token_endpoint,
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": ["AAL3_ANY", "AAL2_OR_AAL3_ANY", "AAL2_ANY", "AAL1_USERPASS"],
            "scopes_supported": [
                "openid",
                "profile",
                "email",
                "nationalrbacaccess",
                "selectedrole",
                "associatedorgs",
            ],
            "backchannel_logout_supported": True,
            "backchannel_logout_session_supported": True,
        }

    # Keys and tokens --------------------------------------------------------------------------

    def rotate_key(self, *, keep_old: bool = False) -> RSAKey:
        """Sign with a new key from now on; the old one stays published only if `keep_old`."""
        key = new_key(f"provider-key-{len(self.keys) + 2}-{secrets.token_hex(2)}")
        self.keys = [*self.keys, key] if keep_old else [key]
        self.signing_key = key
        return key

    def sign(self, claims: dict, *, key: RSAKey | None = None, typ: str = "JWT") -> str:
        key = key or self.signing_key
        return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": typ}, claims, key)

    def logout_token(self, *, sub: str | None = None, sid: str | None = None, **overrides) -> str:
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": int(time.time()),
            "jti": secrets.token_urlsafe(16),
            "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        }
        if sub:
            claims["sub"] = sub
        if sid:
            claims["sid"] = sid
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return self.sign(claims, typ="logout+jwt")

    def backchannel_logout(self, url: str, token: str) -> tuple[int, bytes]:
        """POST a logout token to the client's back-channel logout endpoint, as CIS2 does."""
        body = urlencode({"logout_token": token}).encode()
        request = urlrequest.Request(url, data=body, method="POST")  # noqa: S310 - a test URL
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urlrequest.urlopen(request, timeout=10) as response:  # noqa: S310 - a test URL
                return response.status, response.read()
        except urlerror.HTTPError as exc:
            return exc.code, exc.read()

    def session_ids(self) -> list[str]:
        """Return the sid of every ID token issued, oldest first."""
        return list(self._sids)

    # Endpoints --------------------------------------------------------------------------------

    def authorize(self, params: dict) -> tuple[int, dict, bytes]:
        self.authorize_requests.append(params)
        redirect_uri = params.get("redirect_uri", "")
        problems = []
        if params.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if self.redirect_uris and redirect_uri not in self.redirect_uris:
            problems.append("redirect_uri not registered")
        if params.get("response_type") != "code":
            problems.append("response_type must be code")
        if "openid" not in params.get("scope", "").split():
            problems.append("scope must include openid")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            problems.append("PKCE with S256 is required")
        if not params.get("nonce") or not params.get("state"):
            problems.append("state and nonce are required")
        if problems:
            return 400, {"Content-Type": "text/plain"}, "; ".join(problems).encode()
        state = params["state"]
        if self.identity is None:
            location = f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}"
            return 302, {"Location": location}, b""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "redirect_uri": redirect_uri,
                "challenge": params["code_challenge"],
                "nonce": params["nonce"],
                "identity": self.identity,
            }
        return 302, {"Location": f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"}, b""

    def _assertion_problem(self, form: dict) -> str | None:
        """Check the client's private_key_jwt assertion against the JWKS it publishes."""
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return "client_assertion_type must be jwt-bearer"
        assertion = form.get("client_assertion", "")
        try:
            with urlrequest.urlopen(self.client_jwks_url, timeout=10) as response:  # noqa: S310
                keys = KeySet.import_key_set(json.loads(response.read()))
            token = jwt.decode(assertion, keys, algorithms=["RS256"])
        except (OSError, ValueError, JoseError) as exc:
            return f"client assertion not verified: {exc}"
        claims = token.claims
        now = time.time()
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return "client assertion iss and sub must be the client_id"
        if claims.get("aud") != self.token_endpoint:
            return "client assertion aud must be the token endpoint"
        if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 600:
            return "client assertion exp must be within 10 minutes"
        jti = claims.get("jti")
        with self._lock:
            if not jti or jti in self._assertion_jtis:
                return "client assertion jti missing or used before"
            self._assertion_jtis.add(jti)
        return None

    def token(self, form: dict) -> tuple[int, dict]:
        self.token_requests.append(form)
        problem = self._assertion_problem(form)
        if problem:
            self.token_errors.append(problem)
            return 401, {"error": "invalid_client", "error_description": problem}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # one use
        if grant is None:
            self.token_errors.append("unknown or used code")
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            self.token_errors.append("redirect_uri differs")
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        if not verifier or not compare_s256_code_challenge(verifier, grant["challenge"]):
            self.token_errors.append("PKCE code_verifier does not match")
            return 400, {"error": "invalid_grant", "error_description": "code_verifier"}
        identity = grant["identity"]
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._access[access_token] = identity
        if self.replay_last_id_token and self._last_id_token:
            id_token = self._last_id_token
        else:
            now = int(time.time())
            sid = secrets.token_urlsafe(12)
            self._sids.append(sid)
            claims = {
                "iss": self.issuer,
                "sub": identity.sub,
                "aud": self.client_id,
                "azp": self.client_id,
                "exp": now + 300,
                "iat": now,
                "auth_time": now,
                "nonce": grant["nonce"],
                "acr": identity.acr,
                "amr": ["N3_SMARTCARD"],
                "sid": sid,
                **self.id_token_claims,
            }
            claims = {k: v for k, v in claims.items() if v is not None}
            id_token = self.sign(claims, key=self.sign_id_tokens_with)
        self._last_id_token = id_token
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        token = authorization.removeprefix("Bearer ").strip()
        identity = self._access.get(token)
        if identity is None:
            return 401, {"error": "invalid_token"}
        return 200, identity.userinfo()

    def jwks(self) -> dict:
        self.jwks_fetches += 1
        return {"keys": [key.as_dict(private=False) for key in self.keys]}


class _Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format, *args):  # quiet: the tests say what matters
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json"})

    def do_GET(self):
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._json(200, self.provider.metadata())
        elif url.path == "/authorize":
            status, headers, body = self.provider.authorize(params)
            self._send(status, body, headers)
        elif url.path == "/userinfo":
            self._json(*self.provider.userinfo(self.headers.get("Authorization", "")))
        elif url.path == "/jwks":
            self._json(200, self.provider.jwks())
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if urlsplit(self.path).path == "/token":
            self._json(*self.provider.token(form))
        else:
            self._json(404, {"error": "not_found"})
