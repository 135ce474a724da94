"""What another system does with Xuncha's API, in one script (Python's standard library only).

    python scripts/api_walkthrough.py --base http://127.0.0.1:8000 --token xc_…

1. lists every inspection the token's member may see, page by page (cursor pagination);
2. records a problem (问题) on an inspection that is on site (or ``--problem-on ID``);
3. moves an inspection to its next stage (the first whose next stage waits for nothing, or
   ``--advance ID``), sending the ETag it read in ``If-Match``;
4. prints the inspection pages where both changes show in 修改记录.

Each refusal prints the API's error body (``{"code", "message", "fields"}``) and the script
exits with status 1. ``--language en`` asks for English messages.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from typing import Any


class Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body.get('code')}: {body.get('message')}")
        self.status, self.body = status, body


class Api:
    def __init__(self, base: str, token: str, language: str) -> None:
        self.base = base.rstrip("/")
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Accept-Language": language,
        }

    def call(
        self, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[Any, dict[str, str]]:
        address = url if url.startswith("http") else f"{self.base}{url}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the base address is the caller's
            address, data=data, method=method, headers={**self.headers, **(headers or {})}
        )
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                return json.loads(response.read() or b"null"), dict(response.headers)
        except urllib.error.HTTPError as error:
            raise Refused(error.code, json.loads(error.read() or b"{}")) from None

    def pages(self, url: str) -> Any:
        """Every row of a list, following the cursor from page to page."""
        next_url: str | None = url
        while next_url:
            page, _ = self.call("GET", next_url)
            yield from page["results"]
            next_url = page["next"]


def _pick(inspections: list[dict], wanted: int | None, test: Any) -> dict | None:
    if wanted is not None:
        return next((i for i in inspections if i["id"] == wanted), {"id": wanted})
    return next((i for i in inspections if test(i)), None)


def walk(api: Api, *, problem_on: int | None, advance: int | None, out: Any) -> None:
    inspections = list(api.pages("/api/inspections/?page_size=2"))
    print(f"{len(inspections)} inspections:", file=out)
    for row in inspections:
        print(f"  #{row['id']} {row['unit_name']} — {row['stage_display']}", file=out)

    target = _pick(inspections, problem_on, lambda i: i["stage"] == "onsite")
    if target is None:
        print("No inspection is on site: give --problem-on ID.", file=out)
    else:
        problem, _ = api.call(
            "POST",
            f"/api/inspections/{target['id']}/problems/",
            {
                "category": "integrity",
                "severity": "serious",
                "description": "违规发放津贴补贴，涉及金额约 12 万元",
            },
        )
        print(f"Problem #{problem['id']} recorded on inspection #{target['id']}.", file=out)

    def may_move(row: dict) -> bool:
        """Its next stage waits for nothing (closing is the leadership group's: not ours)."""
        if row["next_stage"] in {None, "closed"}:
            return False
        detail, _ = api.call("GET", f"/api/inspections/{row['id']}/")
        return not detail["waiting_for"]

    moving = _pick(inspections, advance, may_move)
    if moving is None:
        print("No inspection may move on now: give --advance ID.", file=out)
        return
    record, headers = api.call("GET", f"/api/inspections/{moving['id']}/")
    moved, _ = api.call(
        "POST",
        f"/api/inspections/{moving['id']}/advance/",
        {"to_stage": record["next_stage"]},
        headers={"If-Match": headers["ETag"]},
    )
    print(f"Inspection #{moved['id']} is now {moved['stage_display']}.", file=out)
    for inspection_id in {i for i in (target and target["id"], moved["id"]) if i}:
        print(f"See 修改记录 on {api.base}/inspections/{inspection_id}/", file=out)


def main(argv: list[str] | None = None, out: Any = sys.stdout) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="an API token (xc_…)")
    parser.add_argument("--language", default="zh-hans")
    parser.add_argument("--problem-on", type=int, help="the inspection to record a problem on")
    parser.add_argument("--advance", type=int, help="the inspection to move to its next stage")
    args = parser.parse_args(argv)
    api = Api(args.base, args.token, args.language)
    try:
        walk(api, problem_on=args.problem_on, advance=args.advance, out=out)
    except Refused as refusal:
        print(f"Refused: {refusal}", file=out)
        print(json.dumps(refusal.body, ensure_ascii=False), file=out)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
