"""Code lists of the registry, each value with its Chinese and English label.

Values are stable English slugs (they go over the wire and into the database). Where the
national registration form (贫困户登记表) has an indicator code, it is kept beside the value
as ``national`` so exports speak the codes county staff know.
"""

from __future__ import annotations

from enum import StrEnum


class Coded(StrEnum):
    """A string enum whose members carry ``zh``, ``en`` and an optional ``national`` code."""

    zh: str
    en: str
    national: str | None

    def __new__(cls, value: str, zh: str, en: str, national: str | None = None) -> Coded:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.en = en
        member.national = national
        return member

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class IdentificationStandard(Coded):  # A1
    NATIONAL = "national", "国家标准", "National line", "1"
    PROVINCIAL = "provincial", "省定标准", "Provincial line", "2"
    CITY = "city", "市定标准", "City line", "3"


class HouseholdCategory(Coded):  # A2 户属性
    ORDINARY = "ordinary", "一般贫困户", "Ordinary poor household", "1"
    MIN_LIVING = "min_living", "低保贫困户", "Minimum-living-guarantee household", "2"
    EXTREME = "extreme", "特困供养户（五保户）", "Extreme-poverty supported household", "3"


class HouseholdStatus(Coded):
    NOT_EXITED = "not_exited", "未脱贫", "Not yet out of poverty"
    EXITED_SUPPORTED = "exited_supported", "已脱贫（享受政策）", "Exited, still supported"
    EXITED = "exited", "已脱贫", "Exited"
    RETURNED = "returned", "返贫", "Returned to poverty"
    MONITORED = "monitored", "监测户", "Monitored household"

    @property
    def is_exited(self) -> bool:
        return self in (HouseholdStatus.EXITED, HouseholdStatus.EXITED_SUPPORTED)


class PovertyCause(Coded):  # A3a / A3b 致贫原因
    ILLNESS = "illness", "因病", "Illness", "1"
    DISABILITY = "disability", "因残", "Disability", "2"
    SCHOOLING = "schooling", "因学", "Schooling costs", "3"
    DISASTER = "disaster", "因灾", "Disaster", "4"
    LACK_LAND = "lack_land", "缺土地", "Lack of land", "5"
    LACK_WATER = "lack_water", "缺水", "Lack of water", "6"
    LACK_SKILLS = "lack_skills", "缺技术", "Lack of skills", "7"
    LACK_LABOUR = "lack_labour", "缺劳力", "Lack of labour", "8"
    LACK_CAPITAL = "lack_capital", "缺资金", "Lack of capital", "9"
    POOR_TRANSPORT = "poor_transport", "交通条件落后", "Poor transport", "10"
    LACK_DRIVE = "lack_drive", "自身发展动力不足", "Lack of own drive", "11"
    OTHER = "other", "其他", "Other", "12"


class Sex(Coded):
    MALE = "male", "男", "Male", "1"
    FEMALE = "female", "女", "Female", "2"


class Relation(Coded):  # 与户主关系
    HEAD = "head", "户主", "Head of household", "01"
    SPOUSE = "spouse", "配偶", "Spouse", "02"
    SON = "son", "之子", "Son", "03"
    DAUGHTER = "daughter", "之女", "Daughter", "04"
    SON_IN_LAW = "son_in_law", "之女婿", "Son-in-law", "05"
    DAUGHTER_IN_LAW = "daughter_in_law", "之儿媳", "Daughter-in-law", "06"
    GRANDCHILD = "grandchild", "之孙子女", "Grandchild", "07"
    PARENT = "parent", "之父母", "Parent", "08"
    GRANDPARENT = "grandparent", "之祖父母", "Grandparent", "09"
    SIBLING = "sibling", "之兄弟姐妹", "Sibling", "10"
    OTHER = "other", "其他", "Other", "11"


class Education(Coded):  # 文化程度
    ILLITERATE = "illiterate", "文盲或半文盲", "Illiterate", "1"
    PRIMARY = "primary", "小学", "Primary", "2"
    JUNIOR = "junior", "初中", "Junior secondary", "3"
    SENIOR = "senior", "高中", "Senior secondary", "4"
    VOCATIONAL = "vocational", "中职/技校", "Vocational", "5"
    COLLEGE = "college", "大专及以上", "College and above", "6"
    PRESCHOOL = "preschool", "学龄前", "Pre-school age", "7"


class SchoolStatus(Coded):  # 在校生状况
    PRESCHOOL = "preschool", "学前教育", "Pre-school"
    PRIMARY = "primary", "小学", "Primary school"
    JUNIOR = "junior", "初中", "Junior secondary"
    SENIOR = "senior", "高中", "Senior secondary"
    VOCATIONAL = "vocational", "中职", "Vocational school"
    COLLEGE = "college", "大专及以上", "College"
    NOT_IN_SCHOOL = "not_in_school", "非在校生", "Not in school"
    DROPPED_OUT = "dropped_out", "辍学", "Dropped out"

    @property
    def in_school(self) -> bool:
        return self not in (SchoolStatus.NOT_IN_SCHOOL, SchoolStatus.DROPPED_OUT)


class Health(Coded):  # 健康状况
    HEALTHY = "healthy", "健康", "Healthy", "1"
    CHRONIC = "chronic", "长期慢性病", "Chronic illness", "2"
    SERIOUS = "serious", "患有大病", "Serious illness", "3"
    DISABLED = "disabled", "残疾", "Disabled", "4"


class DisabilityCategory(Coded):
    VISUAL = "visual", "视力残疾", "Visual"
    HEARING = "hearing", "听力残疾", "Hearing"
    SPEECH = "speech", "言语残疾", "Speech"
    PHYSICAL = "physical", "肢体残疾", "Physical"
    INTELLECTUAL = "intellectual", "智力残疾", "Intellectual"
    MENTAL = "mental", "精神残疾", "Mental"
    MULTIPLE = "multiple", "多重残疾", "Multiple"


class LabourCapacity(Coded):  # 劳动技能
    NORMAL = "normal", "普通劳动力", "Normal labour", "1"
    SKILLED = "skilled", "技能劳动力", "Skilled labour", "2"
    PARTLY_LOST = "partly_lost", "丧失部分劳动力", "Partly lost", "3"
    LOST = "lost", "丧失劳动力", "Lost", "4"
    NONE = "none", "无劳动力", "No labour capacity", "5"


class MemberStatus(Coded):
    PRESENT = "present", "在户", "Present"
    DECEASED = "deceased", "死亡", "Deceased"
    MARRIED_OUT = "married_out", "嫁出/婚出", "Married out"
    MOVED_OUT = "moved_out", "迁出", "Moved away"

    @property
    def counts_in_household(self) -> bool:
        return self is MemberStatus.PRESENT


class HousingGrade(Coded):  # 房屋安全等级
    A = "A", "A级（安全）", "Grade A (safe)"
    B = "B", "B级（基本安全）", "Grade B (basically safe)"
    C = "C", "C级（局部危险）", "Grade C (partly dangerous)"
    D = "D", "D级（整体危险）", "Grade D (dangerous)"

    @property
    def is_dangerous(self) -> bool:
        return self in (HousingGrade.C, HousingGrade.D)


class RenovationStatus(Coded):  # 危房改造
    NOT_NEEDED = "not_needed", "无需改造", "Not needed"
    PLANNED = "planned", "已列入改造计划", "Planned"
    IN_PROGRESS = "in_progress", "改造中", "In progress"
    DONE = "done", "已改造完成", "Done"


class HousingStructure(Coded):
    REINFORCED_CONCRETE = "reinforced_concrete", "钢筋混凝土", "Reinforced concrete", "1"
    BRICK_CONCRETE = "brick_concrete", "砖混", "Brick and concrete", "2"
    BRICK_WOOD = "brick_wood", "砖木", "Brick and wood", "3"
    EARTH_BAMBOO = "earth_bamboo", "土坯/竹草", "Earth or bamboo", "4"
    OTHER = "other", "其他", "Other", "5"


class WaterSource(Coded):  # 饮水来源
    TAP_TREATED = "tap_treated", "经过净化处理的自来水", "Treated tap water", "1"
    PROTECTED_WELL = "protected_well", "受保护的井水和泉水", "Protected well or spring", "2"
    UNPROTECTED_WELL = "unprotected_well", "不受保护的井水和泉水", "Unprotected well or spring", "3"
    RIVER_LAKE = "river_lake", "江河湖泊水", "River or lake", "4"
    RAINWATER = "rainwater", "收集雨水", "Rainwater", "5"
    OTHER = "other", "其他水源", "Other", "6"


class Fuel(Coded):
    FIREWOOD = "firewood", "柴草", "Firewood", "1"
    GAS = "gas", "燃气", "Gas", "2"
    ELECTRICITY = "electricity", "电", "Electricity", "3"
    COAL = "coal", "煤炭", "Coal", "4"
    OTHER = "other", "其他", "Other", "5"


class AssistanceKind(Coded):  # 帮扶措施
    INDUSTRY = "industry", "产业扶贫", "Industry support"
    EMPLOYMENT = "employment", "就业扶贫", "Employment"
    EDUCATION = "education", "教育扶贫", "Education aid"
    HEALTH = "health", "健康扶贫", "Health"
    HOUSING = "housing", "危房改造", "Housing renovation"
    RELOCATION = "relocation", "易地扶贫搬迁", "Relocation"
    MICROCREDIT = "microcredit", "扶贫小额信贷", "Microcredit"
    MIN_LIVING = "min_living", "低保兜底", "Minimum-living guarantee"
    OTHER = "other", "其他", "Other"


class Role(Coded):
    FIELD_WORKER = "field_worker", "驻村工作队（第一书记）", "Village work team / first secretary"
    VILLAGE_CLERK = "village_clerk", "村书记/信息员", "Village secretary / clerk"
    HELPER_CADRE = "helper_cadre", "结对帮扶干部", "Paired helper cadre"
    TOWNSHIP_STATION = "township_station", "乡镇扶贫工作站", "Township station"
    SUPERVISOR = "supervisor", "督查/扶贫办", "Supervisor"
    ADMIN = "admin", "县扶贫办管理员", "County administrator"


class VisitPurpose(Coded):
    ROUTINE = "routine", "日常遍访", "Routine visit"
    POLICY = "policy", "政策宣讲", "Policy explanation"
    PROBLEM_CHECK = "problem_check", "问题核查", "Problem check"
    EXIT_CHECK = "exit_check", "脱贫核查", "Exit check"
    MONITORING = "monitoring", "返贫监测", "Monitoring"


class Guarantee(Coded):
    """The two no-worries, three guarantees, plus safe water (两不愁三保障 + 饮水安全)."""

    FOOD = "food", "不愁吃", "Enough food"
    CLOTHING = "clothing", "不愁穿", "Enough clothing"
    EDUCATION = "education", "义务教育有保障", "Compulsory education"
    MEDICAL = "medical", "基本医疗有保障", "Basic medical care"
    HOUSING = "housing", "住房安全有保障", "Safe housing"
    WATER = "water", "饮水安全有保障", "Safe drinking water"


class ProblemCategory(Coded):
    FOOD = "food", "吃的问题", "Food"
    CLOTHING = "clothing", "穿的问题", "Clothing"
    EDUCATION = "education", "义务教育", "Education"
    MEDICAL = "medical", "基本医疗", "Medical care"
    HOUSING = "housing", "住房安全", "Housing"
    WATER = "water", "饮水安全", "Drinking water"
    INCOME = "income", "收入", "Income"
    POLICY = "policy", "政策落实", "Policy delivery"
    OTHER = "other", "其他", "Other"


class Severity(Coded):
    LOW = "low", "一般", "Low"
    MEDIUM = "medium", "较重", "Medium"
    HIGH = "high", "严重", "High"


__all__ = [
    "AssistanceKind",
    "Coded",
    "DisabilityCategory",
    "Education",
    "Fuel",
    "Guarantee",
    "Health",
    "HouseholdCategory",
    "HouseholdStatus",
    "HousingGrade",
    "HousingStructure",
    "IdentificationStandard",
    "LabourCapacity",
    "MemberStatus",
    "PovertyCause",
    "ProblemCategory",
    "Relation",
    "RenovationStatus",
    "Role",
    "SchoolStatus",
    "Severity",
    "Sex",
    "VisitPurpose",
    "WaterSource",
]
