"""Response bodies for the roles and qualifications the service knows."""

from pydantic import BaseModel, ConfigDict, Field

from volunteers.api.schemas.common import QualificationCode


class QualificationTypeView(BaseModel):
    """A kind of qualification, labelled in Dutch and English."""

    qualification: str
    nl: str
    en: str


class RoleView(BaseModel):
    """A shift role, labelled in Dutch and English, with the qualifications it needs."""

    role: str
    nl: str
    en: str
    required_qualifications: list[str]


class RoleRequirements(BaseModel):
    """The qualifications every volunteer on a role's shifts must hold."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"qualifications": ["food_hygiene"]}]}
    )

    qualifications: list[QualificationCode] = Field(max_length=10)
