"""Token verification and the production guard on development keys."""

from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import ValidationError

from buurtwerk_shared.config import AuthSettings, PlatformSettings
from buurtwerk_shared.web.auth import TokenVerifier, mint_dev_token
from buurtwerk_shared.web.problems import Problem


def test_a_development_token_verifies_to_its_principal() -> None:
    token = mint_dev_token("kitchen_staff", ["mannenstraat"], sub="cook-9")
    principal = TokenVerifier(AuthSettings()).verify(token)
    assert (principal.sub, principal.role, principal.centres) == (
        "cook-9",
        "kitchen_staff",
        ("mannenstraat",),
    )
    assert principal.sees_centre("mannenstraat") and not principal.sees_centre("wilsele-dorp")


@pytest.mark.parametrize(
    "claims",
    [{"role": "mayor"}, {"centres": []}, {"role": None}],
)
def test_tokens_with_bad_role_or_scope_are_unauthorized(claims: dict[str, object]) -> None:
    base = jwt.decode(mint_dev_token("admin", ["all"]), options={"verify_signature": False})
    token = jwt.encode({**base, **claims}, AuthSettings().dev_signing_key.get_secret_value())  # type: ignore[union-attr]
    with pytest.raises(Problem) as info:
        TokenVerifier(AuthSettings()).verify(token)
    assert info.value.status == 401


def test_the_identity_providers_public_key_is_used_when_configured() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = AuthSettings(
        issuer="https://login.leuven.be", public_key=public_pem, dev_signing_key=None
    )
    claims = {
        "sub": "u-1",
        "role": "analyst",
        "centres": ["all"],
        "iss": "https://login.leuven.be",
        "aud": "buurtwerk",
        "exp": 4102444800,
    }
    verifier = TokenVerifier(settings)
    assert verifier.verify(jwt.encode(claims, private, algorithm="ES256")).role == "analyst"
    with pytest.raises(Problem):
        verifier.verify(mint_dev_token("admin", ["all"], issuer="https://login.leuven.be"))
    with pytest.raises(Problem):
        verifier.verify(mint_dev_token("admin", ["all"], ttl=timedelta(hours=-1)))


def test_production_refuses_to_start_without_the_identity_provider() -> None:
    with pytest.raises(ValidationError, match="JWKS_URL or BUURTWERK_AUTH__PUBLIC_KEY"):
        PlatformSettings(environment="production")
    production = PlatformSettings(
        environment="production", auth=AuthSettings(jwks_url="https://login.leuven.be/jwks")
    )
    assert production.auth.dev_signing_key is None, "the development key is never accepted"
