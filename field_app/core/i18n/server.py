"""Messages of the sync server (code -> Chinese, English): sign-in, enrolment, scope, requests."""

SERVER_MESSAGES: dict[str, tuple[str, str]] = {
    # signing in and access (sync_server/auth)
    "auth.required": ("请先登录（缺少访问令牌）", "Sign in first (no access token was sent)"),
    "auth.token_invalid": (
        "访问令牌无效或已过期，请重新登录",
        "The access token is not valid or has expired; sign in again",
    ),
    "auth.bad_credentials": ("用户名或密码错误", "Wrong username or password"),
    "auth.device_revoked": (
        "这台设备已被停用：请清除本机数据，需要时向管理员申请重新注册",
        "This device has been revoked: wipe its data, and ask the administrator to enrol it again if needed",
    ),
    "auth.user_inactive": ("账号 {username} 已停用", "Account {username} is disabled"),
    "auth.out_of_scope": ("村 {village} 不在您的工作范围内", "Village {village} is outside your scope"),
    "auth.role_forbidden": (
        "您的角色（{role}）不能执行此操作：{action}",
        "Your role ({role_en}) may not do this: {action}",
    ),
    "auth.scope_too_wide": (
        "不能授予超出您自己工作范围的范围：{place}",
        "You cannot grant a scope beyond your own: {place}",
    ),
    "auth.weak_password": (
        "密码太短：至少需要 {minimum} 个字符",
        "The password is too short: it needs at least {minimum} characters",
    ),
    # enrolling a tablet (sync_server/enrolment.py)
    "enrol.code_invalid": (
        "注册码不正确，请核对后重新输入",
        "The enrolment code is not correct; check it and enter it again",
    ),
    "enrol.code_used": (
        "这个注册码已经使用过，请向管理员申请新的注册码",
        "This enrolment code has been used already; ask the administrator for a new one",
    ),
    "enrol.code_expired": (
        "这个注册码已于 {expired_at} 过期，请向管理员申请新的注册码",
        "This enrolment code expired at {expired_at}; ask the administrator for a new one",
    ),
    "enrol.code_blocked": (
        "密码错误次数过多，这个注册码已作废，请向管理员申请新的注册码",
        "Too many wrong passwords: this enrolment code is void; ask the administrator for a new one",
    ),
    # things asked for by id
    "user.not_found": ("找不到用户 {user}", "User {user} not found"),
    "user.username_taken": ("用户名 {username} 已被使用", "The username {username} is taken"),
    "device.not_found": ("找不到设备 {device}", "Device {device} not found"),
    "village.not_found": ("找不到村 {village}", "Village {village} not found"),
    # the HTTP request itself (sync_server/errors.py, limits.py)
    "request.invalid": ("请求内容有误：{first}", "The request is not valid: {first_en}"),
    "request.field": ("{field}：{reason}", "{field_en}: {reason_en}"),
    "request.json_invalid": (
        "请求内容不是有效的 JSON（第 {position} 个字符附近：{reason}）",
        "The request body is not valid JSON (near character {position}: {reason})",
    ),
    # reasons for request fields that the core's table (i18n/fields.py) does not name
    "request.reason.object_expected": ("应为 JSON 对象（{{...}}）", "must be a JSON object ({{...}})"),
    "request.reason.unknown_field": ("是未知字段", "is not a known field"),
    "request.too_large": (
        "请求内容太大（上限 {limit} 字节）",
        "The request is too large (the limit is {limit} bytes)",
    ),
    "request.route_not_found": ("没有这个接口：{path}", "No such endpoint: {path}"),
    "request.method_not_allowed": ("此接口不接受 {method} 请求", "This endpoint does not accept {method}"),
    "request.http_error": ("请求无法处理（HTTP {status}）", "The request cannot be handled (HTTP {status})"),
    # the server's own files (sync_server/migrations, forms_publish.py)
    "server.database_newer": (
        "数据库由更新版本的服务器创建（结构版本 {found}，本服务器支持到 {supported}），请先升级服务器",
        "The database was made by a newer server (schema {found}; this server supports up to "
        "{supported}); upgrade the server first",
    ),
    "server.not_a_registry": ("{path} 不是遍访服务器的数据库", "{path} is not a Bianfang server database"),
    "server.form_version_changed": (
        "表单 {form} 第 {version} 版与已发布的内容不同：已发布的版本不能修改，请改用新的版本号",
        "Form {form} version {version} differs from what was published: a published version "
        "cannot change; give the changed form a new version number",
    ),
    # the sync API (sync_server/sync)
    "sync.device_required": (
        "同步只能由已注册的平板进行（请使用设备令牌）",
        "Only an enrolled tablet can sync (use a device token)",
    ),
    "sync.device_mismatch": (
        "变更来自设备 {claimed}，但本次请求的设备是 {device}：整批拒收",
        "A change claims device {claimed} but this request comes from device {device}: the batch is refused",
    ),
    "sync.batch_too_large": (
        "一次最多提交 {limit} 条变更（本次 {count} 条），请分批提交",
        "At most {limit} changes per push ({count} sent); push in parts",
    ),
    "sync.malformed": (
        "第 {index} 条变更格式有误：{reason}",
        "Change {index} is malformed: {reason_en}",
    ),
    "sync.mutation_reused": (
        "设备 {device} 的第 {device_seq} 号变更已收到过，但内容不同（可能是复制或恢复的平板），已拒收，请联系管理员",
        "Change {device_seq} of device {device} was received before with other content (a cloned or "
        "restored tablet?); refused, contact the administrator",
    ),
    "sync.waiting_behind": (
        "本设备对同一记录的更早修改仍在等待，此修改排在其后",
        "An earlier change of this device to the same record is still waiting; this one waits behind it",
    ),
    "sync.actor_mismatch": (
        "处理记录的操作人应为当前登录用户（{role}）",
        "The event's actor must be the signed-in user ({role_en})",
    ),
    "sync.no_village": ("无法确定记录所属的村", "The record's village cannot be determined"),
    "sync.not_processed": (
        "服务器处理此条变更时出错，未保存，请稍后重新同步",
        "The server failed on this change and did not keep it; sync again later",
    ),
    # photos (sync_server/photos)
    "photo.not_found": ("找不到照片 {sha256}", "Photo {sha256} not found"),
    "photo.range_invalid": (
        "Content-Range 头无效：应为 bytes 起点-终点/总大小，且与内容长度一致",
        "Content-Range is not valid: it must be bytes start-end/total and match the body's length",
    ),
    "photo.too_large": (
        "照片太大（上限 {limit} 字节）",
        "The photo is too large (the limit is {limit} bytes)",
    ),
    "photo.size_mismatch": (
        "照片总大小与之前上传的不一致（之前为 {size} 字节）",
        "The photo's total size differs from the earlier upload's ({size} bytes)",
    ),
    "photo.offset_mismatch": (
        "上传位置不对：服务器已收到 {offset} 字节，请从这里继续",
        "Wrong upload offset: the server holds {offset} bytes; continue from there",
    ),
    "photo.hash_mismatch": (
        "照片内容与其 SHA-256 不符，已丢弃，请重新上传",
        "The photo's content does not match its SHA-256; it was discarded, upload it again",
    ),
    # the conflict queue (sync_server/sync/resolve.py)
    "conflict.not_found": ("找不到冲突 {conflict}", "Conflict {conflict} not found"),
    "conflict.already_resolved": ("冲突 {conflict} 已经处理过了", "Conflict {conflict} has been resolved already"),
    "conflict.resolution_invalid": (
        "裁决值不能采用：{reason}",
        "The resolution cannot be used: {reason_en}",
    ),
}
