"""Photos: resumable, content-addressed uploads (``HEAD`` for the offset, ``PUT`` a chunk) and
downloads for users whose scope holds a visit (or problem event) that references the photo."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import Field

from field_app.core.errors import BianfangError
from sync_server.auth.principal import Principal
from sync_server.auth.roles import Action
from sync_server.dependencies import ContextDep, DatabaseDep, allowed
from sync_server.photos import (
    SHA256_PATTERN,
    PhotoFolder,
    PhotoUpload,
    readable_photo,
    upload_chunk,
    upload_state,
)
from sync_server.routes.wire import WireModel

router = APIRouter(prefix="/api/v1/photos", tags=["photos"])

Uploader = Annotated[Principal, Depends(allowed(Action.UPLOAD_PHOTOS))]
PhotoReader = Annotated[Principal, Depends(allowed(Action.READ_PHOTOS))]
Sha256 = Annotated[str, Path(pattern=SHA256_PATTERN, description="SHA-256 of the photo's bytes, lower-case hex")]


class PhotoWire(WireModel):
    sha256: str
    size: int
    offset: int = Field(description="Bytes the server holds: send the next chunk from here")
    complete: bool


def _headers(upload: PhotoUpload) -> dict[str, str]:
    # Upload-Complete is a structured-field boolean (?1 / ?0), as in the resumable uploads draft.
    return {"Upload-Offset": str(upload.received), "Upload-Complete": "?1" if upload.complete else "?0"}


@router.head("/{sha256}", responses={404: {"description": "Nothing received under this hash"}})
def photo_offset(sha256: Sha256, _: Uploader, context: ContextDep, db: DatabaseDep) -> Response:
    upload = upload_state(db, PhotoFolder(context.settings.data_path), sha256)
    if upload is None:
        raise BianfangError("photo.not_found", sha256=sha256)
    return Response(status_code=200, headers=_headers(upload))


@router.put(
    "/{sha256}",
    openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
        "schema": {"type": "string", "format": "binary"}}}}},
)
async def put_photo(
    sha256: Sha256,
    request: Request,
    who: Uploader,
    context: ContextDep,
    db: DatabaseDep,
    response: Response,
    content_range: Annotated[str | None, Header(description="bytes <start>-<end>/<total>; absent: the whole photo")] = None,
) -> PhotoWire:
    body = await request.body()
    settings = context.settings
    upload = await run_in_threadpool(
        upload_chunk, db, PhotoFolder(settings.data_path), who, sha256, content_range=content_range, body=body,
        max_bytes=settings.max_photo_bytes, now=settings.now(),
    )
    response.headers.update(_headers(upload))
    return PhotoWire(sha256=upload.sha256, size=upload.size, offset=upload.received, complete=upload.complete)


@router.get("/{sha256}", response_class=FileResponse,
            responses={200: {"content": {"image/jpeg": {}, "application/octet-stream": {}}}})
def get_photo(sha256: Sha256, who: PhotoReader, context: ContextDep, db: DatabaseDep) -> FileResponse:
    path = readable_photo(db, PhotoFolder(context.settings.data_path), who.scope, sha256)
    with open(path, "rb") as file:
        head = file.read(4)
    media_type = "image/jpeg" if head[:2] == b"\xff\xd8" else "image/png" if head == b"\x89PNG" else \
        "application/octet-stream"
    return FileResponse(path, media_type=media_type, headers={"ETag": f'"{sha256}"'})
