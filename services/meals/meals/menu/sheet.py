"""The menu and allergen sheet of a service, built from its dishes and the reference labels."""

from uuid import UUID

import asyncpg

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.reference import Labelled, reference_data
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import not_found
from meals.domain.listings import Filters
from meals.menu.language import Language
from meals.menu.texts import TEXTS
from meals.schemas.menu import Label, MenuDishView, MenuView
from meals.schemas.services import MenuDish

_SERVICE = """
SELECT service_id, centre_id, date, starts_at, dishes, status
FROM meal_services WHERE service_id = $1
"""


def _label(entry: Labelled, language: Language) -> Label:
    return Label(id=entry.id, label=entry.nl if language == "nl" else entry.en)


def menu_of(service: asyncpg.Record, language: Language) -> MenuView:
    """The sheet of a service row in one language."""
    reference = reference_data()
    texts = TEXTS[language]
    allergens = {entry.id: _label(entry, language) for entry in reference.allergens}
    centre = next(entry for entry in reference.centres if entry.id == service["centre_id"])
    dishes = [MenuDish.model_validate(dish) for dish in service["dishes"]]
    return MenuView(
        service_id=service["service_id"],
        language=language,
        title=texts.title,
        centre=_label(centre, language),
        date=service["date"],
        date_label=texts.date_label(service["date"]),
        start_time=service["starts_at"].astimezone(BRUSSELS).strftime("%H:%M"),
        cancelled=service["status"] == "cancelled",
        dishes=[
            MenuDishView(
                name=dish.name_en if language == "en" and dish.name_en else dish.name,
                allergens=[allergens[code] for code in dish.allergens],
            )
            for dish in dishes
        ],
        allergens=list(allergens.values()),
        notice=texts.notice,
    )


_IN_RANGE = """
FROM meal_services
WHERE ($1::text IS NULL OR centre_id = $1)
  AND ($2::date IS NULL OR date >= $2) AND ($3::date IS NULL OR date <= $3)
"""


async def list_menus(
    conn: Connection, filters: Filters, language: Language, page: PageParams
) -> Page[MenuView]:
    """The sheets of the services in a centre and date range, in the order they start."""
    args = (filters.centre_id, filters.date_from, filters.date_to)
    total = await conn.fetchval(f"SELECT count(*) {_IN_RANGE}", *args)
    rows = await conn.fetch(
        f"SELECT service_id, centre_id, date, starts_at, dishes, status {_IN_RANGE} "
        "ORDER BY starts_at, service_id LIMIT $4 OFFSET $5",
        *args,
        page.limit,
        page.offset,
    )
    return Page(
        items=[menu_of(row, language) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


async def find_menu(conn: Connection, service_id: UUID, language: Language) -> MenuView:
    """The sheet of a service (404 when there is no such service)."""
    row = await conn.fetchrow(_SERVICE, service_id)
    if row is None:
        raise not_found(f"meal service {service_id}", field="path.service_id")
    return menu_of(row, language)
