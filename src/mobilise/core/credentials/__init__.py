"""Open Badges 3.0 credentials as plain data: building one, and checking its shape (pure)."""

from mobilise.core.credentials.shape import (
    OB3_CONTEXT,
    VC2_CONTEXT,
    Achievement,
    CredentialFacts,
    Issuer,
    build_credential,
    credential_problems,
    parse_instant,
)

__all__ = [
    "OB3_CONTEXT",
    "VC2_CONTEXT",
    "Achievement",
    "CredentialFacts",
    "Issuer",
    "build_credential",
    "credential_problems",
    "parse_instant",
]
