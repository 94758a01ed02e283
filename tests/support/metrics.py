"""Reading a Prometheus text exposition in tests."""

import httpx
from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    """One scrape of `/metrics`: the families and their samples."""

    def __init__(self, text: str) -> None:
        self.families = {family.name: family for family in text_string_to_metric_families(text)}

    def value(self, sample_name: str, **labels: str) -> float | None:
        """The sum of the samples with this name whose labels include `labels`; None if none."""
        matches = [
            sample.value
            for family in self.families.values()
            for sample in family.samples
            if sample.name == sample_name and labels.items() <= sample.labels.items()
        ]
        return sum(matches) if matches else None


async def scrape(client: httpx.AsyncClient, base_url: str = "") -> Scrape:
    """GET `/metrics` and parse it."""
    response = await client.get(f"{base_url}/metrics")
    response.raise_for_status()
    return Scrape(response.text)
