"""Rules benchmark: finalizing a finished household visit, and all policy rules per household.

Targets (issue 2): under 2 ms per finished visit, on a 1,000-household demo county.
Baselines measured in the same run: pydantic validation of the bare Visit record (what any
product must do anyway), and a JSON round trip of the same answers.

    .venv/bin/python benchmarks/bench_rules.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from finished_visits import finished_answers  # noqa: E402

from field_app.core.demo.county import generate_county  # noqa: E402
from field_app.core.forms import FormContext, finalize, load_form  # noqa: E402
from field_app.core.models import Visit, parse_record  # noqa: E402
from field_app.core.policy import assess_household, default_config  # noqa: E402

TODAY = date(2026, 11, 23)
FORMS = Path(__file__).resolve().parents[1] / "forms"


def per_item_ms(work, items, repeat: int = 3) -> float:
    """Best of ``repeat`` passes over ``items``, in milliseconds per item."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            work(item)
        times.append(time.perf_counter() - start)
    return min(times) * 1000 / len(items)


def main() -> None:
    county = generate_county(seed=7, today=TODAY, villages=8, households_per_village=125)
    households = county.households
    config = default_config()
    form = load_form(FORMS / "household_visit.v1.yaml")

    contexts = [FormContext(h, county.members_of(h.id), None, TODAY) for h in households]
    finished = [(ctx, finished_answers(form, ctx)) for ctx in contexts]
    members = {h.id: county.members_of(h.id) for h in households}
    visits = {h.id: county.visits_of(h.id) for h in households}
    started = datetime(2026, 11, 20, 9, tzinfo=UTC)
    visit_rows = [
        {
            "household_id": ctx.household.id, "village_code": ctx.household.village_code,
            "form_id": "household_visit", "form_version": 1, "visitor_id": "u", "visitor_role": "helper_cadre",
            "started_at": started, "ended_at": started + timedelta(minutes=30), "answers": answers,
        }
        for ctx, answers in finished
    ]  # fmt: skip

    finalize_ms = per_item_ms(lambda pair: finalize(form, pair[1], pair[0]), finished)
    record_ms = per_item_ms(lambda row: parse_record(Visit, row, today=TODAY), visit_rows)
    json_ms = per_item_ms(lambda pair: json.loads(json.dumps(pair[1], ensure_ascii=False)), finished)
    rules_ms = per_item_ms(
        lambda h: assess_household(h, members[h.id], config, TODAY, visits[h.id], role="helper_cadre"),
        households,
    )
    sizes = [len(ctx.present) for ctx, _ in finished]

    rows = [
        ("finalize a finished household visit (ours)", finalize_ms, "< 2 ms"),
        ("baseline: pydantic Visit record validation", record_ms, ""),
        ("baseline: JSON round trip of the answers", json_ms, ""),
        ("all policy rules for one household (ours)", rules_ms, "< 2 ms"),
    ]
    print(f"households: {len(households)}, present members per household: "
          f"mean {statistics.mean(sizes):.1f}, max {max(sizes)}")
    print(f"{'measure':46} {'ms/item':>9} {'× record':>9}  target")
    for name, value, target in rows:
        print(f"{name:46} {value:9.3f} {value / record_ms:9.1f}  {target}")


if __name__ == "__main__":
    main()
