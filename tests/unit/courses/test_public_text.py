"""Free text that travels in events may not hold an e-mail address or a phone number."""

import pytest

from courses.api.schemas.common import no_contact_data


@pytest.mark.parametrize(
    "text",
    [
        "Digitaal basis 2026-03-10 tot 2026-04-14",
        "Chiro Wilsele",
        "Groep 2 (12 plaatsen)",
        "Lesgever ziek, les 3 verschoven naar 17/03/2026",
        "KSA Heverlee 1930",
    ],
)
def test_ordinary_text_passes(text: str) -> None:
    assert no_contact_data(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Vragen? jan.peeters@example.org",
        "Bel 0470 12 34 56",
        "Bel +32470123456",
        "Tel. 016/12.34.56",
    ],
)
def test_contact_data_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="contact data"):
        no_contact_data(text)
