"""The value of one indicator for one centre (or the city) and period, as published."""

from pydantic import BaseModel

from buurtwerk_shared.contracts.events.reporting import IndicatorValue


class IndicatorResult(BaseModel):
    """Same fields as `reporting.indicator_updated.v1`."""

    indicator_id: str
    centre_id: str | None
    period: str
    unit: str
    value: IndicatorValue
    suppressed: bool
    breakdown: dict[str, IndicatorValue]
