"""Messages of the tablet app's screens (code -> Chinese, English).

Errors the screens show come from the error tree (``store.weak_pin``, ``store.wrong_pin``, ...);
these are the app's own labels, hints and notices.
"""

APP_MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("遍访", "Bianfang"),
    # the language switch: each language's name in itself; the button shows the other one's
    "app.language.name": ("中文", "English"),
    "app.language.switch": ("切换语言", "Switch language"),
    "app.busy": ("请稍候……", "Please wait..."),
    "app.lock": ("锁定", "Lock"),
    "app.back": ("返回", "Back"),
    "app.unexpected": (
        "出现意外错误：{error}。已保存的数据不受影响，请重试",
        "Something unexpected went wrong: {error}. Saved data is not affected; try again",
    ),
    # first use: set the PIN that opens this user's store
    "app.set_pin.title": ("设置 PIN 码", "Set your PIN"),
    "app.set_pin.intro": (
        "{name}，您好。首次使用本机，请设置 PIN 码：以后每次打开走访数据都要输入它。",
        "Hello, {name}. This is your first use of this device: set a PIN. You will enter it "
        "every time you open your visit data.",
    ),
    "app.set_pin.rules": (
        "至少 6 位数字（不能是 123456、000000 这类简单数字），或至少 8 个字符的密码",
        "At least 6 digits (not a trivial one like 123456 or 000000), or a passphrase of at "
        "least 8 characters",
    ),
    "app.set_pin.pin": ("PIN 码", "PIN"),
    "app.set_pin.confirm": ("再次输入 PIN 码", "PIN again"),
    "app.set_pin.submit": ("设置 PIN 码", "Set PIN"),
    "app.set_pin.mismatch": ("两次输入的 PIN 码不一致，请重新输入", "The two PINs differ; enter them again"),
    "app.set_pin.demo_key": (
        "演示模式：恢复密钥为公开的演示密钥，请勿录入真实数据",
        "Demo mode: the recovery key is the public demo key; do not enter real data",
    ),
    # unlock
    "app.unlock.title": ("解锁", "Unlock"),
    "app.unlock.intro": ("{name}，请输入 PIN 码打开走访数据", "{name}, enter your PIN to open your visit data"),
    "app.unlock.pin": ("PIN 码", "PIN"),
    "app.unlock.submit": ("解锁", "Unlock"),
    "app.unlock.idle": (
        "{minutes} 分钟未操作，已自动锁定",
        "Locked after {minutes} minutes without use",
    ),
    "app.unlock.locked": ("已锁定", "Locked"),
    # the household list
    "app.households.title": ("农户", "Households"),
    "app.households.search": ("搜索农户", "Search households"),
    "app.households.search_hint": (
        "姓名、拼音首字母（如 zs）、户编号或身份证号",
        "Name, pinyin initials (e.g. zs), household number or ID number",
    ),
    "app.households.count": ("共 {count} 户", "{count} households"),
    "app.households.found": ("找到 {count} 户", "{count} found"),
    "app.households.none": ("没有找到与“{query}”相符的农户", "No household matches “{query}”"),
    "app.households.empty": ("本机还没有农户数据，请先同步", "No households on this device yet; sync first"),
    "app.households.damaged": (
        "有 {count} 条记录已损坏，无法显示，请联系管理员",
        "{count} records are damaged and cannot be shown; contact the administrator",
    ),
    "app.households.matched_member": ("家庭成员：{name}", "Member: {name}"),
    "app.households.pending": ("有未同步的修改", "Has changes not yet synced"),
    # one household (placeholder until the visit form lands)
    "app.household.title": ("农户详情", "Household"),
    "app.household.head": ("户主：{name}", "Head of household: {name}"),
    "app.household.number": ("户编号：{number}", "Household number: {number}"),
    "app.household.category": ("户属性：{category}", "Category: {category}"),
    "app.household.status": ("状态：{status}", "Status: {status}"),
    "app.household.members": ("家庭成员（{count} 人）", "Members ({count})"),
    "app.household.member": ("{name}（{relation}）", "{name} ({relation})"),
    "app.household.placeholder": (
        "入户走访表单将在后续版本中提供",
        "The household visit form comes in a later version",
    ),
}
