"""OpenID Connect sign-in through authlib, for GOV.UK One Login or Microsoft Entra ID.

One Login authenticates clients with a signed JWT (private_key_jwt) and gives only the subject and
email (from its userinfo endpoint); Entra ID uses a client secret and puts the name and email in
the ID token. Both are configured from settings alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from authlib.oauth2.rfc7523 import PrivateKeyJWT

from mobilise.settings import Settings

PROVIDER_LABELS = {"one-login": "GOV.UK One Login", "entra": "Microsoft Entra ID"}


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str | None
    display_name: str | None


def make_client(settings: Settings) -> StarletteOAuth2App | None:
    """The configured provider's client, or None when OIDC sign-in is off."""
    if not settings.oidc_configured():
        return None
    oauth = OAuth()
    client_kwargs: dict[str, Any] = {"scope": "openid email profile"}
    secret: str | None = None
    if settings.oidc_provider == "one-login":
        assert settings.oidc_private_key_path is not None
        secret = settings.oidc_private_key_path.read_text(encoding="ascii")
        client_kwargs = {
            "scope": "openid email",
            "token_endpoint_auth_method": PrivateKeyJWT(alg="RS256"),
        }
    elif settings.oidc_client_secret is not None:
        secret = settings.oidc_client_secret.get_secret_value()
    client: StarletteOAuth2App = oauth.register(
        name="provider",
        server_metadata_url=settings.oidc_metadata_url,
        client_id=settings.oidc_client_id,
        client_secret=secret,
        client_kwargs=client_kwargs,
    )
    return client


def authorize_parameters(settings: Settings) -> dict[str, str]:
    """Extra parameters of the authorisation request."""
    if settings.oidc_provider == "one-login":
        # Medium level of confidence without identity proving: "Cl.Cm", as One Login documents.
        return {"vtr": '["Cl.Cm"]', "ui_locales": "en"}
    return {}


async def identity_from_callback(client: StarletteOAuth2App, request: Any) -> Identity:
    """Exchange the callback's code for tokens, verify the ID token, and say who signed in."""
    token = await client.authorize_access_token(request)
    claims: dict[str, Any] = dict(token.get("userinfo") or {})
    if not claims.get("email"):
        claims.update(await client.userinfo(token=token))
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    return Identity(
        issuer=str(claims.get("iss") or (await client.load_server_metadata()).get("issuer", "")),
        subject=str(claims.get("sub") or ""),
        email=claims.get("email"),
        display_name=name or None,
    )
