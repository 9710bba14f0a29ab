"""``python -m field_app.core.demo``: generate the demo county, print its summary and the policy
rules' outcomes for it.

The only place in the demo that reads the clock: ``--today`` defaults to the system date.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from field_app.core.demo.county import generate_county
from field_app.core.demo.outcomes import assess_county, print_rule_outcomes
from field_app.core.demo.summary import print_summary
from field_app.core.policy import default_config


def _households(text: str) -> int | tuple[int, int]:
    """``130`` or ``100-160``."""
    try:
        if "-" in text:
            low, high = (int(part) for part in text.split("-", 1))
            if not 1 <= low <= high:
                raise ValueError
            return (low, high)
        count = int(text)
        if count < 1:
            raise ValueError
        return count
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数或范围，如 130 或 100-160 (a count or a range): {text!r}") from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD (date as YYYY-MM-DD): {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m field_app.core.demo",
        description="生成演示县（江西省赣州市于都县）并打印概况 — generate the demo county and print a summary",
    )
    parser.add_argument("--seed", type=int, default=1, help="随机种子 seed (default 1)")
    parser.add_argument("--villages", type=int, default=5, help="村数 villages (default 5)")
    parser.add_argument("--households-per-village", type=_households, default=(100, 160),
                        help="每村户数 households per village: N or MIN-MAX (default 100-160)")
    parser.add_argument("--months", type=int, default=12, help="走访记录月数 months of visit history (default 12)")
    parser.add_argument("--today", type=_day, default=None, help="今天 today, YYYY-MM-DD (default: the system date)")
    parser.add_argument("--samples", type=int, default=3, help="样例户数 sample households to print (default 3)")
    args = parser.parse_args(argv)
    if args.villages < 1 or args.months < 0:
        parser.error("--villages must be ≥ 1 and --months ≥ 0")
    today = args.today or date.today()
    county = generate_county(args.seed, today=today, villages=args.villages,
                             households_per_village=args.households_per_village, months=args.months)
    print_summary(county, sys.stdout, samples=args.samples)
    print_rule_outcomes(county, assess_county(county, default_config()), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
