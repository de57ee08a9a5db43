/**
 * The responsibility list (权责清单) the seed loads: 18 categories, each with items naming the
 * responsible department kind, the time limits and the words that classify free text. Shenzhen's
 * real list has 4096 items; this is a representative excerpt of the same shape.
 */

export type DepartmentKind =
  | 'HOUSING' | 'URBAN_MANAGEMENT' | 'TRAFFIC_POLICE' | 'HUMAN_RESOURCES' | 'CIVIL_AFFAIRS' | 'WATER'
  | 'ECOLOGY' | 'HEALTH' | 'MARKET_REGULATION' | 'EDUCATION' | 'PLANNING' | 'EMERGENCY' | 'PUBLIC_SECURITY'
  | 'TRANSPORT' | 'STREET_OFFICE';

/** Dispatch limits from the published hotline rules. */
export const EMERGENCY_DISPATCH_MINUTES = 30;
export const NORMAL_DISPATCH_MINUTES = 120;
export const HANDLING_DAYS = 5;
export const EXTENDED_HANDLING_DAYS = 10;

export interface CatalogItem {
  code: string;
  name: string;
  departmentKind: DepartmentKind;
  emergency: boolean;
  keywords: string[];
  fallback?: boolean;
}

export interface CatalogCategory {
  code: string;
  name: string;
  items: CatalogItem[];
}

type Row = [name: string, kind: DepartmentKind, keywords: string, emergency?: boolean];

function category(code: string, name: string, rows: Row[]): CatalogCategory {
  return {
    code,
    name,
    items: rows.map(([itemName, kind, words, emergency], i) => ({
      code: `${code}-${String(i + 1).padStart(2, '0')}`,
      name: itemName,
      departmentKind: kind,
      emergency: emergency ?? false,
      keywords: words.split(' ').filter(Boolean),
    })),
  };
}

export const FALLBACK_ITEM_CODE = 'C18-01';

export const CATALOG: CatalogCategory[] = [
  category('C01', '城市管理', [
    ['路灯故障', 'URBAN_MANAGEMENT', '路灯 灯不亮 照明'],
    ['占道经营', 'URBAN_MANAGEMENT', '占道 摆摊 流动摊贩 小贩'],
    ['垃圾清运', 'URBAN_MANAGEMENT', '垃圾 清运 垃圾桶 环卫'],
    ['违规广告招牌', 'URBAN_MANAGEMENT', '广告牌 招牌 横幅 小广告'],
    ['市政设施损坏', 'URBAN_MANAGEMENT', '井盖 护栏 人行道 路面破损'],
    ['绿化养护', 'URBAN_MANAGEMENT', '绿化 树木 倒伏 修剪'],
  ]),
  category('C02', '住房建设', [
    ['物业服务纠纷', 'HOUSING', '物业 物业费 业委会'],
    ['电梯故障', 'HOUSING', '电梯 困人 停运'],
    ['房屋安全隐患', 'HOUSING', '危房 墙体开裂 裂缝 倒塌', true],
    ['建筑施工扰民', 'HOUSING', '工地 施工 夜间施工'],
    ['保障性住房', 'HOUSING', '保障房 公租房 人才房'],
    ['燃气安全', 'HOUSING', '燃气 煤气 漏气 天然气', true],
  ]),
  category('C03', '交通出行', [
    ['公交线路与站点', 'TRANSPORT', '公交 公交车 站台 线路'],
    ['道路拥堵', 'TRAFFIC_POLICE', '拥堵 堵车 塞车'],
    ['交通信号灯', 'TRAFFIC_POLICE', '红绿灯 信号灯'],
    ['网约车出租车', 'TRANSPORT', '出租车 网约车 拒载'],
    ['道路交通事故隐患', 'TRAFFIC_POLICE', '事故 路口 斑马线', true],
  ]),
  category('C04', '劳动就业', [
    ['拖欠工资', 'HUMAN_RESOURCES', '欠薪 拖欠工资 工资 讨薪'],
    ['劳动合同纠纷', 'HUMAN_RESOURCES', '劳动合同 辞退 加班'],
    ['就业服务', 'HUMAN_RESOURCES', '就业 招聘 求职 失业'],
    ['职业技能培训', 'HUMAN_RESOURCES', '技能培训 培训补贴'],
    ['工伤认定', 'HUMAN_RESOURCES', '工伤'],
  ]),
  category('C05', '社会保障', [
    ['社保缴纳', 'HUMAN_RESOURCES', '社保 养老保险 缴费'],
    ['医保报销', 'HUMAN_RESOURCES', '医保 报销'],
    ['退休待遇', 'HUMAN_RESOURCES', '退休 养老金'],
    ['失业保险', 'HUMAN_RESOURCES', '失业金 失业保险'],
    ['生育津贴', 'HUMAN_RESOURCES', '生育 津贴'],
  ]),
  category('C06', '教育', [
    ['学位申请', 'EDUCATION', '学位 入学 积分入学'],
    ['校外培训', 'EDUCATION', '培训机构 补习'],
    ['校园周边安全', 'EDUCATION', '校园 学校门口 上学'],
    ['学校收费', 'EDUCATION', '学费 收费 乱收费'],
    ['幼儿园', 'EDUCATION', '幼儿园 托育'],
  ]),
  category('C07', '医疗卫生', [
    ['医疗服务投诉', 'HEALTH', '医院 医生 看病'],
    ['社康中心', 'HEALTH', '社康 社区健康'],
    ['疫苗接种', 'HEALTH', '疫苗 接种'],
    ['病媒防治', 'HEALTH', '蚊子 老鼠 蟑螂 消杀'],
    ['公共卫生事件', 'HEALTH', '食物中毒 传染 疫情', true],
  ]),
  category('C08', '环境保护', [
    ['大气污染', 'ECOLOGY', '废气 臭味 油烟 烟尘'],
    ['水污染', 'ECOLOGY', '排污 污水直排 河水发黑'],
    ['工业噪声', 'ECOLOGY', '工厂噪声 机器轰鸣'],
    ['固体废物', 'ECOLOGY', '固废 危废 倾倒'],
    ['辐射', 'ECOLOGY', '辐射 基站'],
  ]),
  category('C09', '水务', [
    ['停水', 'WATER', '停水 没水 水压'],
    ['内涝积水', 'WATER', '内涝 积水 水浸', true],
    ['排水管道堵塞', 'WATER', '下水道 堵塞 排水 渠'],
    ['河道治理', 'WATER', '河道 河涌 河流'],
    ['供水水质', 'WATER', '水质 黄水 自来水'],
  ]),
  category('C10', '市场监管', [
    ['食品安全', 'MARKET_REGULATION', '食品 过期 变质 餐馆'],
    ['消费维权', 'MARKET_REGULATION', '退款 消费 商家 预付卡'],
    ['价格违法', 'MARKET_REGULATION', '价格 涨价 标价'],
    ['虚假宣传', 'MARKET_REGULATION', '虚假宣传 虚假广告'],
    ['特种设备', 'MARKET_REGULATION', '锅炉 压力容器 特种设备'],
  ]),
  category('C11', '公共安全', [
    ['治安问题', 'PUBLIC_SECURITY', '治安 偷窃 盗窃 打架'],
    ['电信诈骗', 'PUBLIC_SECURITY', '诈骗 骗子'],
    ['消防隐患', 'EMERGENCY', '消防 消防通道 火灾 着火', true],
    ['户籍办理', 'PUBLIC_SECURITY', '户籍 户口 身份证'],
    ['出租屋管理', 'PUBLIC_SECURITY', '出租屋 群租 二房东'],
  ]),
  category('C12', '社区服务', [
    ['社区活动场地', 'STREET_OFFICE', '活动室 场地 党群服务中心'],
    ['居住证办理', 'STREET_OFFICE', '居住证'],
    ['邻里纠纷', 'STREET_OFFICE', '邻里 纠纷 邻居'],
    ['老旧小区改造', 'STREET_OFFICE', '老旧小区 改造 加装电梯'],
    ['社区证明', 'STREET_OFFICE', '证明 开证明'],
  ]),
  category('C13', '规划国土', [
    ['违法建筑', 'PLANNING', '违建 违法建筑 加建 搭建'],
    ['规划公示', 'PLANNING', '规划 公示'],
    ['土地权属', 'PLANNING', '土地 宅基地 权属'],
    ['不动产登记', 'PLANNING', '房产证 不动产 登记'],
    ['地质灾害', 'PLANNING', '滑坡 山体 边坡', true],
  ]),
  category('C14', '应急管理', [
    ['安全生产', 'EMERGENCY', '安全生产 工厂事故'],
    ['危险化学品', 'EMERGENCY', '危险品 化学品 危化', true],
    ['自然灾害防御', 'EMERGENCY', '台风 暴雨 防汛', true],
    ['应急避难场所', 'EMERGENCY', '避难 应急物资'],
    ['有限空间作业', 'EMERGENCY', '有限空间 化粪池'],
  ]),
  category('C15', '民政服务', [
    ['高龄津贴', 'CIVIL_AFFAIRS', '高龄津贴 老人津贴 长者'],
    ['低保救助', 'CIVIL_AFFAIRS', '低保 救助 困难'],
    ['养老服务', 'CIVIL_AFFAIRS', '养老 养老院 长者饭堂'],
    ['残疾人服务', 'CIVIL_AFFAIRS', '残疾 残疾人'],
    ['婚姻登记', 'CIVIL_AFFAIRS', '结婚 离婚 婚姻登记'],
  ]),
  category('C16', '停车管理', [
    ['共享停车场投诉', 'TRANSPORT', '共享停车 错峰停车 停车场 车位'],
    ['乱停车', 'TRAFFIC_POLICE', '乱停 违停 占用消防通道停车'],
    ['停车收费', 'TRANSPORT', '停车费 收费 停车收费'],
    ['充电桩', 'TRANSPORT', '充电桩 充电'],
    ['僵尸车', 'TRAFFIC_POLICE', '僵尸车 废弃车辆'],
  ]),
  category('C17', '噪声扰民', [
    ['社会生活噪声', 'STREET_OFFICE', '噪音 噪声 吵 扰民 广场舞'],
    ['娱乐场所噪声', 'URBAN_MANAGEMENT', '酒吧 KTV 音响'],
    ['装修噪声', 'HOUSING', '装修 电钻'],
    ['交通噪声', 'TRAFFIC_POLICE', '鸣笛 改装车 炸街'],
    ['夜间施工噪声', 'URBAN_MANAGEMENT', '夜间施工 半夜施工'],
  ]),
  category('C18', '其他', [
    ['其他事项', 'STREET_OFFICE', ''],
    ['意见建议', 'STREET_OFFICE', '建议 意见'],
    ['表扬感谢', 'STREET_OFFICE', '表扬 感谢'],
    ['政策咨询', 'STREET_OFFICE', '咨询 政策'],
    ['事办不成反映', 'STREET_OFFICE', '事办不成 办不成 办事难 窗口'],
  ]),
];
CATALOG[17].items[0].fallback = true;
