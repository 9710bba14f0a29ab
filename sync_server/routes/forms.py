"""The published form definitions: the list, and each version's file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from field_app.core.forms import LocalText
from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.dependencies import ContextDep, allowed
from sync_server.routes.wire import WireModel

router = APIRouter(tags=["forms"])

FormReader = Annotated[Principal, Depends(allowed(Action.READ_FORMS))]


class FormSummary(WireModel):
    id: str
    version: int
    title: LocalText
    sha256: str
    size: int
    media_type: str
    url: str


@router.get("/api/v1/forms")
def list_forms(context: ContextDep, _: FormReader) -> list[FormSummary]:
    return [
        FormSummary(
            id=form.id,
            version=form.version,
            title=LocalText(zh=form.title_zh, en=form.title_en),
            sha256=form.sha256,
            size=form.size,
            media_type=form.media_type,
            url=f"/api/v1/forms/{form.id}/{form.version}",
        )
        for form in context.forms
    ]


@router.get(
    "/api/v1/forms/{form_id}/{version}",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}, "application/json": {}},
                     "description": "The form file as published; its SHA-256 in ETag and X-Form-Sha256"}},
)
def download_form(form_id: str, version: int, context: ContextDep, _: FormReader) -> Response:
    form = context.forms.get(form_id, version)
    return Response(
        content=form.text.encode("utf-8"),
        media_type=f"{form.media_type}; charset=utf-8",
        headers={"ETag": f'"{form.sha256}"', "X-Form-Sha256": form.sha256},
    )
