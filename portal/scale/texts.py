"""What seed-scale's requests say: descriptions per category, the notes grid workers write on each step
(public on the status page, so written for the resident), and how often each path through the
lifecycle happens. Written in Chinese, as residents and grid workers write them."""

from .fake import Weighted

# (category code, share of requests)
CATEGORY_SHARES = [
    ("repairs", 30),
    ("sanitation", 18),
    ("safety_hazard", 6),
    ("noise_dispute", 10),
    ("health_care", 8),
    ("mutual_aid", 12),
    ("suggestion", 8),
    ("other", 8),
]
DESCRIPTIONS = {
    "repairs": [
        "{u}单元楼道的灯坏了，晚上上下楼看不见台阶。",
        "家里水管漏水，楼下邻居的天花板湿了。",
        "{u}单元电梯这个星期停了好几次，老人上下楼很困难。",
        "单元门的门禁坏了，门关不上。",
        "屋顶漏雨，卧室墙上发霉了。",
    ],
    "sanitation": [
        "楼下垃圾桶满了好几天没人清运，气味很大。",
        "{u}单元楼道里堆满了杂物。",
        "小区绿化带里有很多垃圾。",
        "下水道堵了，污水冒到路面上。",
    ],
    "safety_hazard": [
        "{u}单元楼道里有人给电动车充电，很危险。",
        "小区门口的井盖松了，有人差点摔倒。",
        "楼顶的广告牌被风吹得摇晃。",
        "消防通道被车堵住了。",
    ],
    "noise_dispute": [
        "楼上晚上十一点以后还在装修，影响休息。",
        "隔壁邻居家的狗整夜叫。",
        "广场舞音响声音太大。",
        "楼下饭店的油烟和噪音扰民。",
    ],
    "health_care": [
        "独居老人最近身体不好，希望有人定期上门看看。",
        "想申请家庭医生上门服务。",
        "老伴刚出院，想了解护理补贴怎么申请。",
        "腿脚不便，想问能不能上门测血压。",
    ],
    "mutual_aid": [
        "腿脚不便，想请邻居帮忙每周买一次菜。",
        "家里电视不会调，想请人帮忙看看。",
        "需要有人陪同去医院复查。",
        "想找人帮忙搬一下家具。",
    ],
    "suggestion": [
        "希望在小区花园多放几张长椅，老人散步累了可以歇一歇。",
        "建议在{u}单元门口加装扶手。",
        "希望社区多办几次智能手机培训班。",
        "建议延长健康站周末的开放时间。",
    ],
    "other": [
        "想咨询一下老年证怎么办理。",
        "小区快递柜太少，经常放不下。",
        "想了解社区食堂的开放时间。",
        "询问居住证明怎么开。",
    ],
}
NOTES = {
    "accepted": ["已收到，今天会联系您。", "已收到，明天上午上门查看。", "网格员已接单，会尽快处理。"],
    "in_progress": ["已联系物业，正在处理。", "已安排人员上门，正在处理。", "已协调相关部门，处理中。"],
    "resolved": ["已处理完毕，请您确认。", "问题已解决，如还有问题请再联系我们。", "已完成，谢谢您的反映。"],
    "closed": ["居民确认已解决，办结。", "回访满意，办结。", "已办结。"],
    "referred": ["已转交物业公司处理。", "已转交街道城管中队处理。", "已转交社区卫生服务中心。"],
    "cancelled": ["居民说问题已自行解决，撤回。", "居民撤回了这条诉求。"],
    "reopen": ["居民反映问题仍未解决，重新处理。", "回访时居民说还没修好，重新安排。"],
}
REASSIGN_NOTES = ["需要物业公司配合，转社区统一协调", "涉及几个网格，交社区处理", "网格员休假，交社区暂管"]
# Paths through services/lifecycle.py TRANSITIONS from "submitted", with how often each is taken.
PATHS = Weighted(
    [
        (["accepted", "in_progress", "resolved", "closed"], 60),
        (["accepted", "resolved", "closed"], 12),
        (["accepted", "referred", "closed"], 6),
        (["referred", "closed"], 3),
        (["cancelled"], 4),
        (["accepted", "cancelled"], 2),
        (["accepted", "in_progress", "resolved", "in_progress", "resolved", "closed"], 6),
        (["accepted", "in_progress", "resolved"], 7),
    ]
)
