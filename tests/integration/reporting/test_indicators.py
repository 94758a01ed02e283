"""Every indicator of the catalogue, computed from the scripted scenario through the real broker
and database, against values worked out by hand (threshold 3, so that both kinds of
suppression show on a small scenario; see `scenario.py` for the events)."""

from typing import Any

import pytest

from tests.integration.reporting.conftest import ANALYST, Reporting
from tests.integration.reporting.scenario import KW, MS, SM, WD, march_2026
from tests.support.tokens import bearer

KK = "de-kettekeet"
THRESHOLD = 3
H = None  # a withheld breakdown cell


def cell(value: Any, breakdown: dict[str, Any] | None = None, suppressed: bool = False) -> Any:
    """What the API returns for one value (compared with approx for the ratios)."""
    return {"value": value, "suppressed": suppressed, "breakdown": breakdown or {}}


def withheld(breakdown: dict[str, Any] | None = None) -> Any:
    """A suppressed value."""
    return cell(None, breakdown, suppressed=True)


# indicator -> period -> centre (None = city) -> expected; every centre not listed is checked
# where the comment says so.
EXPECTED: dict[str, dict[str, dict[str | None, Any]]] = {
    # R1 2 + R2 2 (corrections 2 then 1 arrive in the wrong order: the later, 2, wins) + R3 1
    # takeaway at SM on 31/3 (18:00: March); R4 4 (published twice) + R5 0 (corrected to 0
    # before it arrived) at MS on 30/3; R6 1 at SM on 1/4; R8 1 at MS on 10/2 (published last).
    "meals.served": {
        "2026-03": {
            SM: cell(5, {"tariff:standard": 2, "tariff:reduced": 3, "on_site": 4, "takeaway": 1}),
            MS: cell(4, {"tariff:standard": 4, "tariff:child": 0, "on_site": 4}),
            WD: cell(0),
            None: cell(
                9,
                {
                    "tariff:standard": 6,
                    "tariff:reduced": 3,
                    "tariff:child": 0,
                    "on_site": 8,
                    "takeaway": 1,
                },
            ),
        },
        "2026-04": {SM: cell(1, {"tariff:standard": 1, "on_site": 1}), MS: cell(0)},
        "2026-02": {MS: cell(1, {"tariff:standard": 1, "on_site": 1})},
        # 30/3 - 5/4: R4 4, R5 0, R1-R3 5, R6 1.
        "2026-W14": {
            None: cell(
                10,
                {
                    "tariff:standard": 7,
                    "tariff:reduced": 3,
                    "tariff:child": 0,
                    "on_site": 9,
                    "takeaway": 1,
                },
            )
        },
        "2026-Q1": {
            None: cell(
                10,
                {
                    "tariff:standard": 7,
                    "tariff:reduced": 3,
                    "tariff:child": 0,
                    "on_site": 9,
                    "takeaway": 1,
                },
            )
        },
    },
    # SM {d1,d2,d3} = 3, MS {d1} = 1, city {d1,d2,d3} = 3 (d1 once). MS 1 < 3 is withheld, and
    # SM with it (else city 3 and the other centres would give MS away).
    "meals.unique_diners": {
        "2026-03": {SM: withheld(), MS: withheld(), WD: cell(0), None: cell(3)},
    },
    # City: first meal ever in March: d2, d3 (d1 ate in February) = 2 -> withheld.
    # SM: first meal at SM in March: d1, d2, d3 = 3. MS: d1's first at MS was in February: 0.
    "meals.new_diners": {
        "2026-03": {SM: cell(3), MS: cell(0), None: withheld()},
        "2026-02": {MS: withheld(), None: withheld()},
        "2026-04": {SM: withheld(), None: withheld()},
    },
    "meals.reduced_tariff_share": {
        "2026-03": {
            SM: cell(0.6, {"reduced": 3, "served": 5}),
            MS: cell(0.0, {"reduced": 0, "served": 4}),
            WD: cell(None, {"reduced": 0, "served": 0}),
            None: cell(3 / 9, {"reduced": 3, "served": 9}),
        },
    },
    # S1 SM capacity 10, on site R1 2 + R2 2; S2 MS capacity 8 (the change that arrived before
    # the plan of 20), on site R4 4 + R5 0; S3 cancelled: not counted.
    "meals.occupancy": {
        "2026-03": {
            SM: cell(0.4, {"on_site_meals": 4, "capacity": 10}),
            MS: cell(0.5, {"on_site_meals": 4, "capacity": 8}),
            WD: cell(None, {"on_site_meals": 0, "capacity": 0}),
            None: cell(8 / 18, {"on_site_meals": 8, "capacity": 18}),
        },
    },
    # SM: S1 closed, S3 cancelled, session 10/3 held, 17/3 cancelled, 24/3 without outcome
    # (not counted): 2 / 4. MS: S2 closed: 1 / 1. City 3 / 5. April: S4 closed.
    "operations.sessions_held_ratio": {
        "2026-03": {
            SM: cell(
                0.5,
                {
                    "meal_services_closed": 1,
                    "meal_services_cancelled": 1,
                    "sessions_held": 1,
                    "sessions_cancelled": 1,
                },
            ),
            MS: cell(
                1.0,
                {
                    "meal_services_closed": 1,
                    "meal_services_cancelled": 0,
                    "sessions_held": 0,
                    "sessions_cancelled": 0,
                },
            ),
            None: cell(
                0.6,
                {
                    "meal_services_closed": 2,
                    "meal_services_cancelled": 1,
                    "sessions_held": 1,
                    "sessions_cancelled": 1,
                },
            ),
            WD: cell(
                None,
                {
                    "meal_services_closed": 0,
                    "meal_services_cancelled": 0,
                    "sessions_held": 0,
                    "sessions_cancelled": 0,
                },
            ),
        },
        "2026-04": {
            SM: cell(
                1.0,
                {
                    "meal_services_closed": 1,
                    "meal_services_cancelled": 0,
                    "sessions_held": 0,
                    "sessions_cancelled": 0,
                },
            )
        },
    },
    # SM 5/3 housing 4 replaced by 6, money 2 (twice, same event); MS 31/3 work 3.
    "hub.desk_contacts": {
        "2026-03": {
            SM: cell(8, {"category:housing": 6, "category:money": 2}),
            MS: cell(3, {"category:work": 3}),
            None: cell(11, {"category:housing": 6, "category:money": 2, "category:work": 3}),
        },
        "2026-04": {SM: cell(5, {"category:housing": 5})},
    },
    # Known participants (p3 re-recorded absent, p8 only waitlisted, p9b in April):
    # SM p1 p2 (newcomers) p6 p7 (low_income) = 4; MS p1 p6 p9 = 3; WD p4 p10 p11 = 3;
    # KW p4 p5 = 2; city 9. Every target group count is 1 or 2: withheld. KW 2 is withheld, so
    # MS (3, the smallest other centre, before WD by name) is withheld too.
    "offer.participants_by_target_group": {
        "2026-03": {
            SM: cell(
                4,
                {
                    "target_group:newcomers": H,
                    "target_group:low_income": H,
                    "drop_in_attendances": 4,
                },
            ),
            MS: withheld(
                {
                    "target_group:newcomers": H,
                    "target_group:low_income": H,
                    "target_group:seniors": H,
                    "drop_in_attendances": 0,
                }
            ),
            WD: cell(
                3,
                {
                    "target_group:children": H,
                    "target_group:youth": H,
                    "target_group:unknown": H,
                    "drop_in_attendances": 0,
                },
            ),
            KW: withheld(
                {"target_group:children": H, "target_group:families": H, "drop_in_attendances": 0}
            ),
            KK: cell(0, {"drop_in_attendances": 0}),
            None: cell(
                9,
                {
                    "target_group:newcomers": H,
                    "target_group:low_income": H,
                    "target_group:seniors": H,
                    "target_group:children": H,
                    "target_group:families": H,
                    "target_group:youth": H,
                    "target_group:unknown": H,
                    "drop_in_attendances": 4,
                },
            ),
        },
    },
    # A1 (SM conversation group): p1, p2 and 4 drop-ins = 6 attendances; A6 (MS language lesson,
    # published after its attendances): p1 (p3 absent) = 1 attendance.
    "offer.conversation_group_participants": {
        "2026-03": {
            SM: withheld({"attendances": 6}),
            MS: withheld({"attendances": 1}),
            WD: cell(0, {"attendances": 0}),
            None: withheld({"attendances": 7}),
        },
    },
    # A2 (SM, open-school): p6 (completed), p7; A3 (MS, link-in-de-kabel): p6, p9 (23:30 on
    # 31/3); p9b at 00:30 on 1/4 is April. City p6 p7 p9 = 3.
    "digital.computer_course_participants": {
        "2026-03": {
            SM: withheld({"completed": H, "partner:open-school": H}),
            MS: withheld({"completed": 0, "partner:link-in-de-kabel": H}),
            WD: cell(0, {"completed": 0}),
            None: cell(
                3, {"completed": H, "partner:open-school": H, "partner:link-in-de-kabel": H}
            ),
        },
        "2026-04": {MS: withheld({"completed": 0, "partner:link-in-de-kabel": H})},
    },
    # WD p4 (6-11), p10 (12-17) (p11 is 18-25); KW p5 (0-2), p4 (6-11); city p4 p5 p10 = 3.
    "children.wilsele_participants": {
        "2026-03": {
            WD: withheld({"age_band:6-11": H, "age_band:12-17": H}),
            KW: withheld({"age_band:0-2": H, "age_band:6-11": H}),
            SM: cell(0),
            None: cell(3, {"age_band:0-2": H, "age_band:6-11": H, "age_band:12-17": H}),
        },
    },
    # SM p20 (joined; outcome before referral), p21 (not joined), p22 (no outcome) = 3;
    # MS p20 (joined) = 1 -> withheld, and SM with it; city p20 p21 p22 = 3, joined p20 = 1.
    "youth.referrals": {
        "2026-03": {
            SM: withheld({"joined": H, "joined_share": H}),
            MS: withheld({"joined": H, "joined_share": H}),
            WD: cell(0, {"joined": 0, "joined_share": None}),
            None: cell(3, {"joined": H, "joined_share": H}),
        },
    },
    # First activation: v1 5/3 (SM), v3 20/3 (SM); v4's first was June 2025 (published late);
    # v2 in May.
    "volunteers.new": {
        "2026-03": {SM: withheld(), MS: cell(0), None: withheld()},
        "2025": {MS: withheld(), None: withheld()},
        "2026-05": {MS: withheld(), None: withheld()},
    },
    # January: v1 (SM) active after 54 days, v2 (MS) after 106 days. March: v3 (SM) after 18
    # days; v5 (MS, 23:30 on 31/3) never.
    "volunteers.onboarding_conversion": {
        "2026-01": {
            SM: cell(1.0, {"applied": H, "active_within_90_days": H}),
            MS: cell(0.0, {"applied": H, "active_within_90_days": 0}),
            None: cell(0.5, {"applied": H, "active_within_90_days": H}),
            WD: cell(None, {"applied": 0, "active_within_90_days": 0}),
        },
        "2026-03": {
            SM: cell(1.0, {"applied": H, "active_within_90_days": H}),
            MS: cell(0.0, {"applied": H, "active_within_90_days": 0}),
            None: cell(0.5, {"applied": H, "active_within_90_days": H}),
        },
    },
    # SM v1 (3 h), v3 (2 h after the correction that came first); MS v1 (1.5 h), v4 corrected
    # to 0 h: not active. City v1 v3 = 2.
    "volunteers.active": {
        "2026-03": {SM: withheld(), MS: withheld(), WD: cell(0), None: withheld()},
    },
    "volunteers.hours": {
        "2026-03": {
            SM: cell(5.0, {"role:kitchen": 3.0, "role:computer_corner": 2.0}),
            MS: cell(1.5, {"role:kitchen": 0.0, "role:welcome_desk": 1.5}),
            None: cell(
                6.5, {"role:kitchen": 3.0, "role:computer_corner": 2.0, "role:welcome_desk": 1.5}
            ),
        },
        "2026-04": {SM: cell(2.0, {"role:kitchen": 2.0})},
    },
    # Milestones v1 hours_50 (SM), v4 years_1 (MS); appreciation moments at SM and city-wide.
    "volunteers.milestones": {
        "2026-03": {
            SM: cell(1, {"milestone:hours_50": 1, "appreciation_moments": 1}),
            MS: cell(1, {"milestone:years_1": 1, "appreciation_moments": 0}),
            WD: cell(0, {"appreciation_moments": 0}),
            None: cell(
                2, {"milestone:hours_50": 1, "milestone:years_1": 1, "appreciation_moments": 2}
            ),
        },
    },
    # SM 2/3: 7 replaced by 9; MS 3.
    "digital.computer_corner_visits": {
        "2026-03": {SM: cell(9), MS: cell(3), None: cell(12)},
        "2026-04": {SM: cell(10), None: cell(10)},
    },
    # D1 SM fridge 10/3, D2 MS freezer 11/3; D3 MS fridge at 00:30 on 1/4 (April).
    # No reminder occurrences in this scenario (tests/integration/haccp computes real ones).
    "haccp.checks_on_time_ratio": {
        "2026-03": {
            SM: cell(None, {"due": 0, "on_time": 0}),
            None: cell(None, {"due": 0, "on_time": 0}),
        },
    },
    "haccp.deviations": {
        "2026-03": {
            SM: cell(1, {"kind:fridge": 1}),
            MS: cell(1, {"kind:freezer": 1}),
            None: cell(2, {"kind:fridge": 1, "kind:freezer": 1}),
        },
        "2026-04": {MS: cell(1, {"kind:fridge": 1}), None: cell(1, {"kind:fridge": 1})},
    },
    # D1 acted on after 2 h, D2 after 48 h; D3's action (published first) after 5 h 30.
    "haccp.corrective_action_ratio": {
        "2026-03": {
            SM: cell(1.0, {"deviations": 1, "with_action_within_24h": 1}),
            MS: cell(0.0, {"deviations": 1, "with_action_within_24h": 0}),
            None: cell(0.5, {"deviations": 2, "with_action_within_24h": 1}),
            WD: cell(None, {"deviations": 0, "with_action_within_24h": 0}),
        },
        "2026-04": {MS: cell(1.0, {"deviations": 1, "with_action_within_24h": 1})},
    },
    # End of March: MS koelcel done, afzuiging planned = 1/2; SM vloer done = 1/1; city 2/3.
    # End of February: koelcel in progress (its "done" came first but is dated later).
    "haccp.refurbishment_done": {
        "2026-03": {
            MS: cell(0.5, {"kitchen:mannenstraat-keuken": 0.5}),
            SM: cell(1.0, {"kitchen:sint-maartensdal-keuken": 1.0}),
            WD: cell(None),
            None: cell(
                2 / 3, {"kitchen:mannenstraat-keuken": 0.5, "kitchen:sint-maartensdal-keuken": 1.0}
            ),
        },
        "2026-02": {
            MS: cell(0.0, {"kitchen:mannenstraat-keuken": 0.0}),
            None: cell(
                1 / 3, {"kitchen:mannenstraat-keuken": 0.0, "kitchen:sint-maartensdal-keuken": 1.0}
            ),
        },
        "2026-01": {
            None: cell(
                0.0, {"kitchen:mannenstraat-keuken": 0.0, "kitchen:sint-maartensdal-keuken": 0.0}
            )
        },
    },
}

MANUAL_EXPECTED: dict[str, dict[str, dict[str | None, Any]]] = {
    # 12.5 entered for 2026, 13 for 2026-Q2: a value holds from its period on.
    "team.staff_fte": {
        "2026-03": {None: cell(12.5, {"entered_for": "2026", "source_note": "Personeelsdienst"})},
        "2026-Q2": {None: cell(13.0, {"entered_for": "2026-Q2", "source_note": "Begroting"})},
        "2026": {None: cell(13.0, {"entered_for": "2026-Q2", "source_note": "Begroting"})},
        "2025": {None: cell(None)},
    },
    "kettekeet.status": {
        "2026-03": {
            KK: cell("Verkenning met vzw", {"entered_for": "2026-03", "source_note": "College"}),
            None: cell(None),
        },
    },
}


def approx(document: Any) -> Any:
    """The comparable part of an indicator document, floats approximated."""
    return {
        "value": pytest.approx(document["value"])
        if isinstance(document["value"], float)
        else document["value"],
        "suppressed": document["suppressed"],
        "breakdown": {
            k: pytest.approx(v) if isinstance(v, float) else v
            for k, v in document["breakdown"].items()
        },
    }


async def check(
    reporting: Reporting, expected: dict[str, dict[str, dict[str | None, Any]]]
) -> None:
    failures = []
    for indicator_id, periods in expected.items():
        for period, centres in periods.items():
            for centre, want in centres.items():
                got = await reporting.value(indicator_id, period, centre)
                assert got["indicator_id"] == indicator_id
                assert got["centre_id"] == centre and got["period"] == period
                if {k: got[k] for k in ("value", "suppressed", "breakdown")} != approx(want):
                    failures.append((indicator_id, period, centre, got, want))
    assert not failures, "\n".join(map(str, failures))


async def record_manual_values(r: Reporting) -> None:
    for body in (
        {
            "indicator_id": "team.staff_fte",
            "period": "2026",
            "value": 12.5,
            "source_note": "Personeelsdienst",
        },
        {
            "indicator_id": "team.staff_fte",
            "period": "2026-Q2",
            "value": 13,
            "source_note": "Begroting",
        },
        {
            "indicator_id": "kettekeet.status",
            "centre_id": KK,
            "period": "2026-03",
            "value": "Verkenning met vzw",
            "source_note": "College",
        },
    ):
        response = await r.client.post("/manual-values", json=body, headers=ANALYST)
        assert response.status_code == 201, response.text


async def test_every_indicator_from_the_scenario(reporting: Any) -> None:
    scenario = march_2026()
    async with reporting(suppression_threshold=THRESHOLD, publish_debounce_seconds=0.3) as r:
        await r.publish(scenario.published)
        await record_manual_values(r)
        await r.projected(scenario.distinct_ids)
        covered = set(EXPECTED) | set(MANUAL_EXPECTED)
        plan = (await r.client.get("/tree", headers=ANALYST)).json()
        in_tree = {i["id"] for n in _walk(plan["nodes"]) for i in n["indicators"] if i["computed"]}
        assert in_tree == covered, "every computed indicator of the catalogue is checked"
        await check(r, EXPECTED)
        await check(r, MANUAL_EXPECTED)
        # Once the publisher has caught up, reads come from the published values: the same.
        await r.published()
        await check(r, EXPECTED)


def _walk(nodes: list[Any]) -> list[Any]:
    found = []
    for node in nodes:
        found.append(node)
        found.extend(_walk(node["children"]))
    return found


async def test_reading_rules(reporting: Any) -> None:
    async with reporting() as r:
        coordinator = bearer("centre_coordinator", [SM], sub="coord-sm")
        kitchen = bearer("kitchen_staff", [SM], sub="cook-sm")
        get = r.client.get
        assert (
            await get("/indicators/meals.served", params={"period": "2026-03"}, headers=coordinator)
        ).status_code == 200
        assert (
            await get(
                "/indicators/meals.served",
                params={"period": "2026-03", "centre_id": SM},
                headers=coordinator,
            )
        ).status_code == 200
        other = await get(
            "/indicators/meals.served",
            params={"period": "2026-03", "centre_id": MS},
            headers=coordinator,
        )
        assert other.status_code == 403
        assert (
            await get("/indicators/meals.served", params={"period": "2026-03"}, headers=kitchen)
        ).status_code == 403
        assert (
            await get("/indicators/meals.served", params={"period": "2026-03"})
        ).status_code == 401
        unknown = await get(
            "/indicators/meals.nothing", params={"period": "2026-03"}, headers=ANALYST
        )
        assert unknown.status_code == 404
        assert unknown.json()["errors"][0]["field"] == "path.indicator_id"
        bad = await get("/indicators/meals.served", params={"period": "2026-13"}, headers=ANALYST)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.period"
        refused = await r.client.post(
            "/manual-values",
            json={"indicator_id": "meals.served", "period": "2026", "value": 3, "source_note": "x"},
            headers=ANALYST,
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "body.indicator_id"
        not_text = await r.client.post(
            "/manual-values",
            json={
                "indicator_id": "kettekeet.status",
                "period": "2026",
                "value": 3,
                "source_note": "x",
            },
            headers=ANALYST,
        )
        assert not_text.status_code == 422 and not_text.json()["errors"][0]["field"] == "body.value"
        by_coordinator = await r.client.post(
            "/manual-values",
            json={
                "indicator_id": "team.staff_fte",
                "period": "2026",
                "value": 3,
                "source_note": "x",
            },
            headers=coordinator,
        )
        assert by_coordinator.status_code == 403


async def test_an_analyst_scoped_to_one_centre_reads_and_records_only_that_centre(
    reporting: Any,
) -> None:
    analyst = bearer("analyst", [SM], sub="analyst-sm")
    fte = {"indicator_id": "team.staff_fte", "period": "2026", "value": 3, "source_note": "x"}
    async with reporting() as r:
        own = await r.client.get(
            "/indicators/meals.served",
            params={"period": "2026-03", "centre_id": SM},
            headers=analyst,
        )
        other = await r.client.get(
            "/indicators/meals.served",
            params={"period": "2026-03", "centre_id": MS},
            headers=analyst,
        )
        assert (own.status_code, other.status_code) == (200, 403)
        tree = (await r.client.get("/tree", headers=analyst)).json()
        assert tree["centres"] == [SM]
        for_centre = await r.client.post(
            "/manual-values", json={**fte, "centre_id": SM}, headers=analyst
        )
        for_other = await r.client.post(
            "/manual-values", json={**fte, "centre_id": MS}, headers=analyst
        )
        for_city = await r.client.post("/manual-values", json=fte, headers=analyst)
        assert (for_centre.status_code, for_other.status_code, for_city.status_code) == (
            201,
            403,
            403,
        )
        assert (await r.client.post("/manual-values", json=fte, headers=ANALYST)).status_code == 201
