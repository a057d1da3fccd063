"""A small but real OpenID Connect provider for tests, served on 127.0.0.1 by uvicorn.

It does what GOV.UK One Login and Entra ID do in the code flow: discovery, an authorisation
endpoint that redirects back with a code, a token endpoint that checks the client's
authentication (client secret, or a `private_key_jwt` assertion signed with the client's key) and
returns an RS256 ID token carrying the nonce, the JWKS to verify it, and userinfo.
"""

from __future__ import annotations

import base64
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "mobilise-test"
CLIENT_SECRET = "a-client-secret"


def signing_key() -> RSAKey:
    key = RSAKey.generate_key(2048, private=True)
    key.ensure_kid()
    return key


@dataclass
class Provider:
    base_url: str
    email: str
    signing_key: RSAKey = field(default_factory=lambda: signing_key())
    client_key: RSAKey | None = None  # set for private_key_jwt clients
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def id_token(self, nonce: str, key: RSAKey | None = None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.base_url,
            "sub": "subject-123",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": self.email,
            "name": "Lead Person",
        }
        signer = key or self.signing_key
        return jwt.encode({"alg": "RS256", "kid": signer.kid}, claims, signer)

    def app(self) -> Starlette:
        async def discovery(_: Request) -> Response:
            return JSONResponse(
                {
                    "issuer": self.base_url,
                    "authorization_endpoint": f"{self.base_url}/authorize",
                    "token_endpoint": f"{self.base_url}/token",
                    "jwks_uri": f"{self.base_url}/jwks",
                    "userinfo_endpoint": f"{self.base_url}/userinfo",
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )

        async def authorize(request: Request) -> Response:
            query = request.query_params
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": query["nonce"], "redirect_uri": query["redirect_uri"]}
            return RedirectResponse(
                query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
            )

        async def token(request: Request) -> Response:
            form = {k: str(v) for k, v in (await request.form()).items()}
            self.token_requests.append(form)
            if not self._client_authenticated(request, form):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            forged = getattr(self, "forge_with", None)
            return JSONResponse(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": self.id_token(grant["nonce"], forged),
                }
            )

        async def jwks(_: Request) -> Response:
            return JSONResponse({"keys": [self.signing_key.as_dict(private=False)]})

        async def userinfo(_: Request) -> Response:
            return JSONResponse({"sub": "subject-123", "email": self.email})

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
                Route("/jwks", jwks),
                Route("/userinfo", userinfo),
            ]
        )

    def _client_authenticated(self, request: Request, form: dict[str, str]) -> bool:
        if self.client_key is not None:
            assertion = form.get("client_assertion")
            if not assertion:
                return False
            try:
                claims = jwt.decode(assertion, self.client_key).claims
            except ValueError:
                return False
            return bool(claims.get("iss") == CLIENT_ID and claims.get("sub") == CLIENT_ID)
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def running_provider(email: str, client_key: RSAKey | None = None) -> Iterator[Provider]:
    port = _free_port()
    provider = Provider(base_url=f"http://127.0.0.1:{port}", email=email, client_key=client_key)
    server = uvicorn.Server(
        uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test OIDC provider did not start")
        time.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def follow_to_provider(location: str) -> Any:
    """What a browser does with the redirect to the provider: the provider redirects back."""
    import httpx

    response = httpx.get(location, follow_redirects=False)
    assert response.status_code in (302, 307), response.text
    return response.headers["location"]
