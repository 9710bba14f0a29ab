"""The main job at this stage: the demo county and the policy rules' outcomes for it."""

import re

from field_app.core.demo.__main__ import main


def test_main_job_prints_county_and_rule_outcomes(capsys):
    assert main(["--today", "2026-11-23", "--villages", "5", "--samples", "1"]) == 0
    out = capsys.readouterr().out
    assert "江西省赣州市于都县" in out
    assert "政策规则结果 Rule outcomes" in out
    for guarantee in ("不愁吃", "不愁穿", "义务教育有保障", "基本医疗有保障", "住房安全有保障", "饮水安全有保障"):
        assert re.search(guarantee + r"\s+\d+\s+\d+\s+\d+", out), guarantee
    # the planted faults of the demo county show up as reasons a cadre can read
    assert re.search(r"\S+ 未参加基本医疗保险", out)
    assert "脱贫条件 Exit" in out and "返贫监测 Risk flags" in out and "走访任务 Visit duty" in out


def test_main_job_refuses_a_bad_date_with_a_clear_message(capsys):
    try:
        main(["--today", "23/11/2026"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err
