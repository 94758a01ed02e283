"""Response bodies for the reference data: centres, kitchens, tariffs and allergens."""

from pydantic import BaseModel, ConfigDict


class CentreView(BaseModel):
    """A neighbourhood centre and its kitchens."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "mannenstraat",
                    "name_nl": "Buurtcentrum Mannenstraat",
                    "name_en": "Mannenstraat neighbourhood centre",
                    "kitchen_ids": ["mannenstraat-keuken"],
                }
            ]
        }
    )

    centre_id: str
    name_nl: str
    name_en: str
    kitchen_ids: list[str]


class KitchenView(BaseModel):
    """A kitchen; it belongs to one centre."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kitchen_id": "mannenstraat-keuken",
                    "centre_id": "mannenstraat",
                    "name_nl": "Keuken Mannenstraat",
                    "name_en": "Mannenstraat kitchen",
                }
            ]
        }
    )

    kitchen_id: str
    centre_id: str
    name_nl: str
    name_en: str


class CodeView(BaseModel):
    """A code of a reference list with its Dutch and English label."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "celery", "nl": "selder", "en": "celery"}]}
    )

    code: str
    nl: str
    en: str
