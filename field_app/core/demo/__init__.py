"""A deterministic, realistic demo county (于都县, Ganzhou, Jiangxi) built from the core models.

    from field_app.core.demo import generate_county
    county = generate_county(7, today=date(2026, 5, 20))          # 5 villages, ~650 households
    county.members_of(county.households[0].id)

``python -m field_app.core.demo --seed 7 --today 2026-05-20`` prints a summary.
"""

from field_app.core.demo.county import PLANTED_KINDS, DemoCounty, generate_county

__all__ = ["PLANTED_KINDS", "DemoCounty", "generate_county"]
