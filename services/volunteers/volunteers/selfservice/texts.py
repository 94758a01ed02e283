"""The words of the mails and link pages, in Dutch and English (Dutch is the default)."""

import datetime as dt
from typing import Literal

from volunteers.domain.clock import BRUSSELS

Language = Literal["nl", "en"]

_DAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
        "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip
ROLES = {
    "nl": {
        "kitchen": "keuken",
        "computer_corner": "computerhoek",
        "homework_support": "huiswerkbegeleiding",
        "conversation_group": "praatgroep",
        "welcome_desk": "onthaal",
        "other": "andere taak",
    },
    "en": {
        "kitchen": "kitchen",
        "computer_corner": "computer corner",
        "homework_support": "homework support",
        "conversation_group": "conversation group",
        "welcome_desk": "welcome desk",
        "other": "other task",
    },
}


def when(language: Language, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """'zaterdag 5 december, 10:00–13:00' in local time."""
    start, end = starts_at.astimezone(BRUSSELS), ends_at.astimezone(BRUSSELS)
    day = _DAYS[language][start.weekday()]
    month = _MONTHS[language][start.month - 1]
    return f"{day} {start.day} {month}, {start:%H:%M}–{end:%H:%M}"


def shift_label(language: Language, shift: dict[str, object]) -> str:
    """The shift as the mail and the page name it: role, centre, day and hours."""
    role = ROLES[language].get(str(shift["role"]), str(shift["role"]))
    starts_at, ends_at = shift["starts_at"], shift["ends_at"]
    assert isinstance(starts_at, dt.datetime) and isinstance(ends_at, dt.datetime)
    return f"{role}, {shift['centre_id']}, {when(language, starts_at, ends_at)}"


MAIL = {
    "nl": {
        "reminder_subject": "Herinnering: je shift {label}",
        "reminder_body": (
            "Hallo {name},\n\n"
            "Je staat ingepland voor {label}.\n\n"
            "Ik ben er:\n{confirm}\n\n"
            "Ik kan niet komen (je plaats komt dan vrij):\n{decline}\n\n"
            "Elke link werkt één keer, tot het einde van de shift. Je krijgt deze mail omdat je "
            "toestemming gaf voor herinneringen per e-mail.\n\n"
            "Bedankt!\nBuurtwerk"
        ),
        "invitation_subject": "Er is een plaats vrij: {label}",
        "invitation_body": (
            "Hallo {name},\n\n"
            "Voor {label} is er nog een plaats vrij. Wil je komen?\n\n"
            "Ik neem de plaats:\n{take}\n\n"
            "Wie eerst klikt, krijgt de plaats. Kan je niet, dan hoef je niets te doen.\n\n"
            "Bedankt!\nBuurtwerk"
        ),
    },
    "en": {
        "reminder_subject": "Reminder: your shift {label}",
        "reminder_body": (
            "Hello {name},\n\n"
            "You are on the rota for {label}.\n\n"
            "I'll be there:\n{confirm}\n\n"
            "I can't come (your place is then freed):\n{decline}\n\n"
            "Each link works once, until the end of the shift. You receive this mail because "
            "you agreed to reminders by e-mail.\n\n"
            "Thank you!\nBuurtwerk"
        ),
        "invitation_subject": "A place is free: {label}",
        "invitation_body": (
            "Hello {name},\n\n"
            "There is still a place free for {label}. Would you like to come?\n\n"
            "I'll take it:\n{take}\n\n"
            "The first to click gets the place. If you can't, there is nothing to do.\n\n"
            "Thank you!\nBuurtwerk"
        ),
    },
}

PAGE = {
    "nl": {
        "other_language": "English",
        "title": "Buurtwerk vrijwilligers",
        "shift_confirm_ask": "Bevestig dat je komt naar {label}.",
        "shift_confirm_button": "Ik ben er",
        "shift_confirm_done": "Bedankt! Je komst naar {label} is bevestigd.",
        "shift_decline_ask": "Laat weten dat je niet kan komen naar {label}. Je plaats komt "
        "dan vrij voor een andere vrijwilliger.",
        "shift_decline_button": "Ik kan niet komen",
        "shift_decline_done": "Jammer, maar bedankt om het te laten weten. Je plaats in {label} "
        "is vrijgegeven; de coördinator ziet het.",
        "gap_take_ask": "Er is een plaats vrij in {label}. Wil je die nemen?",
        "gap_take_button": "Ik neem de plaats",
        "gap_take_done": "Top! Je staat nu ingepland voor {label}.",
        "already_filled": "Deze plaats is intussen al ingenomen. Bedankt om te willen helpen!",
        "not_possible": "Je kan deze plaats niet nemen: {reason}. Neem contact op met de "
        "coördinator van je centrum.",
        "no_longer_on_shift": "Je staat niet (meer) ingepland voor {label}.",
        "started": "Deze shift is al begonnen. Bel de coördinator van je centrum.",
        "cancelled": "Deze shift is geannuleerd: er is niets meer te doen.",
        "refused_title": "Deze link werkt niet (meer)",
        "unknown": "Deze link is ongeldig. Kopieer de volledige link uit je mail, of vraag de "
        "coördinator om een nieuwe.",
        "expired": "Deze link is verlopen.",
        "revoked": "Deze link is ingetrokken door de coördinator.",
        "used": "Deze link is al gebruikt. Elke link werkt maar één keer.",
        "too_many": "Te veel pogingen. Probeer het over een minuut opnieuw.",
        "double_booked": "je staat op dat moment al op een andere shift",
        "qualification": "voor deze taak is een geldige opleiding nodig",
        "not_schedulable": "je bent nu niet actief als vrijwilliger",
    },
    "en": {
        "other_language": "Nederlands",
        "title": "Buurtwerk volunteers",
        "shift_confirm_ask": "Confirm that you will come to {label}.",
        "shift_confirm_button": "I'll be there",
        "shift_confirm_done": "Thank you! Your coming to {label} is confirmed.",
        "shift_decline_ask": "Let us know that you can't come to {label}. Your place is then "
        "freed for another volunteer.",
        "shift_decline_button": "I can't come",
        "shift_decline_done": "A pity, but thank you for letting us know. Your place in {label} "
        "is freed; the coordinator sees it.",
        "gap_take_ask": "A place is free in {label}. Would you like to take it?",
        "gap_take_button": "I'll take it",
        "gap_take_done": "Great! You are now on the rota for {label}.",
        "already_filled": "This place has already been filled. Thank you for offering to help!",
        "not_possible": "You cannot take this place: {reason}. Please contact your centre's "
        "coordinator.",
        "no_longer_on_shift": "You are not (or no longer) on the rota for {label}.",
        "started": "This shift has already started. Please call your centre's coordinator.",
        "cancelled": "This shift was cancelled: there is nothing left to do.",
        "refused_title": "This link does not work (any more)",
        "unknown": "This link is not valid. Copy the whole link from your mail, or ask the "
        "coordinator for a new one.",
        "expired": "This link has expired.",
        "revoked": "This link was withdrawn by the coordinator.",
        "used": "This link has already been used. Each link works only once.",
        "too_many": "Too many attempts. Please try again in a minute.",
        "double_booked": "you are on another shift at that time",
        "qualification": "this task needs a valid training",
        "not_schedulable": "you are not active as a volunteer at the moment",
    },
}
