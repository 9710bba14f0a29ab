"""Messages of the device's sync client (code -> Chinese, English): network faults, what each
sync phase is doing, and what became of each change the tablet sent."""

CLIENT_MESSAGES: dict[str, tuple[str, str]] = {
    # faults (field_app/sync): none of them loses data; the worker syncs again later
    "sync.network": (
        "网络连接中断，已保存的数据不会丢失，恢复网络后请重新同步",
        "The network connection was lost; saved data is safe; sync again when the network is back",
    ),
    "sync.client.server_error": (
        "服务器暂时无法处理（HTTP {status}），已保存的数据不会丢失，请稍后重新同步",
        "The server cannot handle the request right now (HTTP {status}); saved data is safe; "
        "sync again later",
    ),
    "sync.client.bad_response": (
        "服务器的回复无法识别（{what}），已保存的数据不会丢失，请稍后重试或联系管理员",
        "The server's answer cannot be understood ({what}); saved data is safe; try again later "
        "or contact the administrator",
    ),
    "sync.client.photo_mismatch": (
        "照片 {photo} 上传后校验不一致，下次同步时将重新上传",
        "Photo {photo} did not check out after upload; it will be sent again at the next sync",
    ),
    "sync.client.form_unusable": (
        "表单 {form}（第 {version} 版）下载后无法使用：{reason}",
        "Form {form} (version {version}) was downloaded but cannot be used: {reason}",
    ),
    "sync.client.record_unreadable": (
        "服务器发来的{kind}（{id}）内容无法识别，已跳过",
        "The {kind_en} {id} sent by the server cannot be read; it was skipped",
    ),
    # what each change sent became (the per-item results the app lists)
    "sync.client.conflict_fields": (
        "本次修改（{fields}）与他人同时作出的修改不一致，已交督导裁决",
        "This change ({fields_en}) disagrees with someone else's change made at the same time; "
        "it awaits a supervisor's decision",
    ),
    "sync.client.conflict_delete": (
        "删除与他人同时作出的修改冲突，已交督导确认删除或恢复",
        "The delete clashes with someone else's change made at the same time; a supervisor will "
        "confirm the delete or restore the record",
    ),
    "sync.client.outcome.applied": ("已同步", "Synced"),
    "sync.client.outcome.merged": ("已与他人的修改合并", "Merged with other changes"),
    "sync.client.outcome.conflict": ("与他人的修改冲突，待督导裁决", "In conflict with another change; awaiting a supervisor"),
    "sync.client.outcome.rejected": ("服务器未采用（已保存在服务器，待处理）", "Not taken by the server (kept there for review)"),
    "sync.client.outcome.deferred": ("暂存在服务器，等待相关记录到达", "Held on the server until a related record arrives"),
    # the phases, for the progress bar
    "sync.client.phase.photos": ("正在上传照片", "Uploading photos"),
    "sync.client.phase.push": ("正在上传修改", "Sending changes"),
    "sync.client.phase.pull": ("正在下载更新", "Receiving updates"),
    "sync.client.phase.forms": ("正在下载表单", "Downloading forms"),
    # the report's one line
    "sync.client.summary": (
        "同步完成：上传修改 {pushed} 条，下载记录 {pulled} 条，上传照片 {photos} 张，下载表单 {forms} 份",
        "Sync complete: {pushed} changes sent, {pulled} records received, {photos} photos uploaded, "
        "{forms} forms downloaded",
    ),
    "sync.client.summary_attention": (
        "其中 {conflicts} 条有冲突、{rejected} 条未被采用、{deferred} 条暂存，请查看详情",
        "Of these, {conflicts} in conflict, {rejected} not taken, {deferred} held; see the details",
    ),
    "sync.client.summary_interrupted": (
        "同步中断：已上传修改 {pushed} 条，已下载记录 {pulled} 条；已保存的数据不会丢失，请重新同步",
        "Sync interrupted: {pushed} changes sent and {pulled} records received so far; saved data is "
        "safe; sync again",
    ),
}
