"""The inspector log as CSV (one row per entry) and as a printable HTML page, in Dutch with the
English column names beside them."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from buurtwerk_shared.web.csv_files import csv_text
from meals.haccp.api.schemas import DeliveryView, ProcessView, RecordView
from meals.haccp.inspector import wording
from meals.haccp.inspector.log import InspectorLog

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters.update(
    local=wording.local,
    local_day=wording.local_day,
    number=wording.number,
    limits_nl=wording.limits_nl,
    schedule_nl=wording.schedule_nl,
)
_TEMPLATES.globals.update(
    KINDS_NL=wording.KINDS_NL,
    LEVELS_NL=wording.LEVELS_NL,
    OUTCOMES_NL=wording.OUTCOMES_NL,
    PROCESS_STATUS_NL=wording.PROCESS_STATUS_NL,
    REFURBISHMENT_NL=wording.REFURBISHMENT_NL,
)

CSV_COLUMNS = [
    "tijdstip (time)",
    "registratie (entry)",
    "controle (check)",
    "soort (kind)",
    "versie grenzen (limits version)",
    "kritische grenzen (critical limits)",
    "gepland om (due at)",
    "waarde (value)",
    "ruwe waarde (raw value)",
    "eenheid (unit)",
    "kalibratie-offset (calibration offset)",
    "resultaat (outcome)",
    "medewerker (staff id)",
    "corrigerende acties (corrective actions)",
    "leverancier (supplier)",
    "product",
    "lot",
    "THT (best before)",
    "proces (process)",
]


def _record_row(
    record: RecordView, delivery: DeliveryView | None, process: ProcessView | None
) -> dict[str, str]:
    actions = " | ".join(
        f"{wording.local(a.taken_at)} {a.staff_id}: {a.action}" for a in record.corrective_actions
    )
    if record.outcome == "deviation" and not actions:
        actions = "OPEN: geen corrigerende actie (no corrective action)"
    details = record.details or {}
    if "items" in details:
        items = details["items"]
        assert isinstance(items, dict)
        value = "; ".join(f"{item}: {'ja' if done else 'NEE'}" for item, done in items.items())
    elif "done" in details:
        value = "gedaan" if details["done"] else "NIET gedaan"
    else:
        value = wording.number(record.value)
    entry = "controle"
    if delivery is not None:
        entry = "levering"
    elif process is not None:
        entry = "proces"
    return {
        "tijdstip (time)": wording.local(record.recorded_at),
        "registratie (entry)": entry,
        "controle (check)": record.label,
        "soort (kind)": wording.KINDS_NL[record.kind],
        "versie grenzen (limits version)": str(record.limits_version),
        "kritische grenzen (critical limits)": wording.limits_nl(record.limits),
        "gepland om (due at)": wording.local(record.due_at),
        "waarde (value)": value,
        "ruwe waarde (raw value)": wording.number(record.raw_value),
        "eenheid (unit)": record.unit or "",
        "kalibratie-offset (calibration offset)": wording.number(record.calibration_offset),
        "resultaat (outcome)": wording.OUTCOMES_NL[record.outcome],
        "medewerker (staff id)": record.staff_id,
        "corrigerende acties (corrective actions)": actions,
        "leverancier (supplier)": delivery.supplier if delivery else "",
        "product": delivery.product if delivery else (process.product if process else ""),
        "lot": (delivery.lot or "") if delivery else "",
        "THT (best before)": wording.local_day(delivery.best_before) if delivery else "",
        "proces (process)": (
            f"start {wording.local(process.started_at)} {wording.number(process.start_value)} "
            f"°C, termijn {wording.local(process.deadline_at)}"
            if process
            else ""
        ),
    }


def to_csv(log: InspectorLog) -> str:
    """One row per record, delivery without a temperature, and process not yet concluded."""
    by_record = {d.record_id: d for d in log.deliveries if d.record_id}
    process_by_record = {p.record_id: p for p in log.processes if p.record_id}
    rows: list[tuple[str, dict[str, str]]] = []
    for record in log.records:
        row = _record_row(
            record, by_record.get(record.record_id), process_by_record.get(record.record_id)
        )
        rows.append((record.recorded_at.isoformat(), row))
    for delivery in log.deliveries:
        if delivery.record_id is None:
            rows.append(
                (
                    delivery.received_at.isoformat(),
                    {
                        "tijdstip (time)": wording.local(delivery.received_at),
                        "registratie (entry)": "levering",
                        "medewerker (staff id)": delivery.received_by,
                        "leverancier (supplier)": delivery.supplier,
                        "product": delivery.product,
                        "lot": delivery.lot or "",
                        "THT (best before)": wording.local_day(delivery.best_before),
                    },
                )
            )
    for process in log.processes:
        if process.record_id is None:
            rows.append(
                (
                    process.started_at.isoformat(),
                    {
                        "tijdstip (time)": wording.local(process.started_at),
                        "registratie (entry)": "proces",
                        "controle (check)": process.label,
                        "soort (kind)": wording.KINDS_NL[process.kind],
                        "kritische grenzen (critical limits)": wording.limits_nl(process.limits),
                        "gepland om (due at)": wording.local(process.deadline_at),
                        "resultaat (outcome)": wording.PROCESS_STATUS_NL[process.status],
                        "product": process.product,
                        "proces (process)": (
                            f"start {wording.local(process.started_at)} "
                            f"{wording.number(process.start_value)} °C"
                        ),
                    },
                )
            )
    rows.sort(key=lambda r: r[0])
    return csv_text(CSV_COLUMNS, ([row.get(c, "") for c in CSV_COLUMNS] for _, row in rows))


def to_html(log: InspectorLog) -> str:
    """A printable page (A4 landscape) of the log."""
    return _TEMPLATES.get_template("inspector_log.html").render(log=log)
