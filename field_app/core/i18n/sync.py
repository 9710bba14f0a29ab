"""Messages of the server's merge of synced mutations (code -> Chinese, English)."""

SYNC_MESSAGES: dict[str, tuple[str, str]] = {
    # why a mutation waits in the backlog (deferred)
    "sync.missing_entity": (
        "{kind}（{id}）尚未同步到服务器，此修改暂存，待其到达后再处理",
        "The {kind_en} {id} has not reached the server yet; this change waits for it",
    ),
    "sync.missing_parent": (
        "所属{kind}（{id}）尚未同步到服务器，此记录暂存，待其到达后再处理",
        "The {kind_en} {id} it belongs to has not reached the server yet; this change waits for it",
    ),
    # why a mutation is refused (rejected; the server keeps it)
    "sync.visit_conflict": (
        "走访记录 {id} 已存在且内容不同（可能是复制或恢复的平板），已拒收，请联系管理员",
        "Visit {id} exists already with other content (a cloned or restored tablet?); refused, "
        "contact the administrator",
    ),
    "sync.event_conflict": (
        "问题处理记录 {id} 已存在且内容不同（可能是复制或恢复的平板），已拒收，请联系管理员",
        "Problem event {id} exists already with other content (a cloned or restored tablet?); "
        "refused, contact the administrator",
    ),
    "sync.bad_op": (
        "{kind}不能执行“{op}”操作",
        "A {kind_en} does not allow the operation '{op}'",
    ),
    "sync.id_mismatch": (
        "记录编号不一致：修改的是 {id}，内容中却是 {value}",
        "Record id mismatch: the change is for {id} but its content says {value}",
    ),
    "sync.future_checkpoint": (
        "设备声称已同步到服务器序号 {checkpoint}，但服务器当前只到 {seq}（服务器可能从备份恢复过），已拒收，请联系管理员",
        "The device says it has pulled up to server change {checkpoint}, but the server is only at "
        "{seq} (restored from a backup?); refused, contact the administrator",
    ),
    "sync.bad_value": (
        "字段 {field} 的值格式不对，无法合并",
        "The value of {field} does not have the shape its field needs; it cannot be merged",
    ),
    # conflicts, as the console and the app label them
    "sync.conflict.disputed": (
        "“{field}”被同时改成不同的值，有争议，待督导裁决",
        "'{field}' was changed to different values at the same time; disputed, awaiting a supervisor",
    ),
    "sync.conflict.auto_resolved": (
        "“{field}”被同时修改，已自动采用时间较晚的修改",
        "'{field}' was changed at the same time; the later change was kept automatically",
    ),
    "sync.conflict.delete_vs_edit": (
        "记录被删除的同时另有人修改了它，待督导确认删除或恢复",
        "The record was deleted while someone else changed it; awaiting a supervisor to confirm "
        "the delete or restore it",
    ),
}
