"""The default templates a tenant starts with: the 民主测评 of a leadership team and a
满意度问卷 (tenant content, in Chinese as the offices write it)."""

from __future__ import annotations

from typing import Any

from surveys.models import Kind, Purpose

_GRADES = [("好", True), ("较好", True), ("一般", False), ("差", False)]
_SATISFIED = [("满意", True), ("基本满意", True), ("不满意", False)]

# (kind, text, options [(label, positive)], required)
DEFAULT_TEMPLATES: list[dict[str, Any]] = [
    {
        "name": "领导班子民主测评",
        "purpose": Purpose.EVALUATION,
        "questions": [
            (Kind.SINGLE, "对领导班子的总体评价", _GRADES, True),
            (Kind.GRID, "对领导班子成员的评价", [], True),
            (Kind.TEXT, "对领导班子和班子成员的意见建议", [], False),
        ],
    },
    {
        "name": "党风廉政建设满意度问卷",
        "purpose": Purpose.SATISFACTION,
        "questions": [
            (Kind.SINGLE, "对本单位党风廉政建设的满意程度", _SATISFIED, True),
            (Kind.SINGLE, "对本单位落实中央八项规定精神的满意程度", _SATISFIED, True),
            (Kind.SINGLE, "对本单位选人用人工作的满意程度", _SATISFIED, True),
            (Kind.RATING, "对本单位作风建设的总体评分（1-5分）", [], True),
            (Kind.TEXT, "您对本单位党风廉政建设的意见建议", [], False),
        ],
    },
]
