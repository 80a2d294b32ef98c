"""A real OpenID provider for the tests: authlib's authorization server on Flask, on a free
port of this machine, in a thread of the test process.

It speaks the whole protocol the app relies on: discovery, the authorization endpoint with
its login form, the code flow with PKCE (S256 required), the token endpoint with client
secrets, ID tokens signed with its own RSA key, its JWKS, and RP-initiated logout. Nothing of
the app is stubbed; the tests only decide who logs in and with which claims, and may make the
provider misbehave the way a wrongly configured one would (an ID token for another audience).
"""

from __future__ import annotations

import hmac
import html
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, redirect, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


@dataclass(frozen=True)
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "profile", "email"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass(frozen=True)
class Person:
    """Someone the provider knows: the login name typed into its form, and the claims."""

    login: str
    claims: dict[str, Any]


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class OpenIDProvider:
    def __init__(self, name: str) -> None:
        self.name = name
        self.key = RSAKey.generate_key(2048, parameters={"kid": f"{name}-1"})
        self.clients: dict[str, Client] = {}
        self.people: dict[str, Person] = {}
        self.codes: dict[str, Code] = {}
        self.logouts: list[dict[str, str]] = []
        # A misconfigured provider: the ID tokens it issues name this audience instead.
        self.audience: str | None = None
        # A forger: ID tokens signed with this key, while the JWKS still shows the real one.
        self.forged_key: RSAKey | None = None
        self.app = self._app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> OpenIDProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()

    def register(self, client: Client) -> None:
        self.clients[client.client_id] = client

    def knows(self, login: str, **claims: Any) -> Person:
        person = Person(login, {"sub": f"{self.name}-{login}", **claims})
        self.people[login] = person
        return person

    def _app(self) -> Flask:
        app = Flask(f"op-{self.name}")
        server = AuthorizationServer(
            app, query_client=self.clients.get, save_token=lambda token, request: None
        )
        server.register_grant(_code_grant(self), [CodeChallenge(required=True), _id_token(self)])

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                end_session_endpoint=f"{self.issuer}/logout",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
                scopes_supported=["openid", "profile", "email"],
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize() -> Any:
            try:
                grant = server.get_consent_grant(end_user=None)
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            if request.method == "GET":
                return (
                    '<form method="post"><label>Login <input name="login"></label>'
                    f"<button>Log in at {html.escape(self.name)}</button></form>"
                )
            return server.create_authorization_response(
                grant_user=self.people.get(request.form.get("login", "")), grant=grant
            )

        @app.post("/token")
        def token() -> Any:
            return server.create_token_response()

        @app.get("/logout")
        def logout() -> Any:
            self.logouts.append(dict(request.args))
            return redirect(request.args.get("post_logout_redirect_uri", self.issuer))

        return app


def _code_grant(op: OpenIDProvider) -> type[grants.AuthorizationCodeGrant]:
    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            op.codes[code] = Code(
                code=code,
                client_id=request.payload.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.payload.scope,
                person=request.user,
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
            )

        def query_authorization_code(self, code: str, client: Client) -> Code | None:
            found = op.codes.get(code)
            return found if found and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code: Code) -> None:
            op.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: Code) -> Person:
            return authorization_code.person

    return CodeGrant


def _id_token(op: OpenIDProvider) -> OpenIDCode:
    class IdToken(OpenIDCode):
        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return any(code.nonce == nonce for code in op.codes.values())

        def resolve_client_private_key(self, client: Client) -> RSAKey:
            return op.forged_key or op.key

        def get_encode_header(self, client: Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": op.key.kid or ""}

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            return {"iss": op.issuer, "aud": [op.audience or client.client_id]}

        def generate_user_info(self, user: Person, scope: str) -> UserInfo:
            return UserInfo(user.claims)

    return IdToken(require_nonce=True)
