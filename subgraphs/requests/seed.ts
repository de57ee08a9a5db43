import { Types, type AnyBulkWriteOperation, type Model } from 'mongoose';
import type { Database } from '../../shared/platform/db';
import { syncIndexes } from '../../shared/platform/db';
import { COMMUNITIES, DEMO_RESIDENT, DEPARTMENTS, DISTRICTS, OTHER_RESIDENTS, SHUIBEI, STREETS, type CommunitySeed } from '../../shared/dev/demo';
import { extraUnits, scaleResidentId, UNIT_RESIDENTS, unitRandom } from '../../shared/dev/scale';
import { addMinutes, addWorkingDays, localMonthString } from '../../shared/subgraph/time';
import { CATALOG, type CatalogItem } from './domain/catalog';
import { currentDeadline, dispatchDeadlines, submissionDeadlines } from './domain/deadlines';
import { gradeRequest } from './domain/grading';
import type { Rating, RequestStatus } from './domain/lifecycle';
import { numberDay } from './domain/numbering';
import { streetOfficeId } from './domain/permissions';
import { seedMicroProjects } from './seed-microprojects';
import type { Channel } from './domain/channels';
import { createModels, type Models, type RequestDoc, type RequestEventDoc } from './models';
import { residentFacts } from './domain/eligibility';
import { seedListVersions } from './services/responsibility-list';
import { backfillResidentFacts } from './services/welfare-policies';
import { isOpenStatus, rebuildStatsCounters } from './services/stats-counters';
import { seedCalendarFromNotices } from './services/calendar';
import { seedCannotDoCases } from './seed-cannot-do';

/** Residents old enough for the senior allowance, so reverse service has someone to find. */
const SENIOR_RESIDENTS = [
  { id: 'R-0006', name: '黄金华', phone: '13602223333', idNumber: '440303195503158812', homeCommunityCode: SHUIBEI },
  { id: 'R-0007', name: '周秀英', phone: '13823456789', idNumber: '440303194807203326', homeCommunityCode: '440303003002' },
  { id: 'R-0008', name: '吴建国', phone: '13926541234', idNumber: '440311196201010017', homeCommunityCode: '440311001001' },
];

const POLICIES = [
  { _id: 'WP-SENIOR-ALLOWANCE', name: '高龄老人津贴', description: '年满60周岁的深圳户籍老人按月领取高龄津贴，符合条件者无需申请，由民政部门主动推送办理。', minAge: 60, maxAge: null, districtCode: null },
  { _id: 'WP-FREE-SCREENING', name: '免费癌症早筛', description: '50至74周岁居民可在社康中心免费进行结直肠癌早期筛查。', minAge: 50, maxAge: 74, districtCode: null },
  { _id: 'WP-GM-YOUTH-RENT', name: '光明区青年人才租房补贴', description: '35周岁以下、户籍在光明区的青年人才可申领租房补贴。', minAge: 18, maxAge: 35, districtCode: '440311' },
];

/** Deterministic ids, so a second run updates the same documents instead of adding new ones. */
const seedId = (kind: number, i: number) => new Types.ObjectId(`5eed${kind.toString(16).padStart(4, '0')}${i.toString(16).padStart(16, '0')}`);

/** A small deterministic generator: the same seed data on every run and every machine. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITEMS = CATALOG.flatMap((c) => c.items.map((i) => ({ ...i, categoryCode: c.code })));
const itemByCode = new Map(ITEMS.map((i) => [i.code, i]));
const communityByCode = new Map(COMMUNITIES.map((c) => [c.code, c]));
const districtOfStreet = new Map(STREETS.map((s) => [s.code, s.districtCode]));

function departmentFor(item: CatalogItem, community: CommunitySeed): string {
  const districtCode = districtOfStreet.get(community.streetCode)!;
  if (item.departmentKind !== 'STREET_OFFICE') {
    const dept = DEPARTMENTS.find((d) => d.kind === item.departmentKind && d.districtCode === districtCode);
    if (dept) return dept.id;
  }
  return streetOfficeId(community.streetCode);
}

interface Spec {
  i: number;
  communityCode: string;
  itemCode: string;
  channel: Channel;
  status: RequestStatus;
  submittedAt: Date;
  title: string;
  description: string;
  residentId?: string | null;
  peopleInvolved?: number;
  amountAtStake?: number;
  urgent?: boolean;
  parkingLotId?: string | null;
  /** Routed first to this department, which returned it; then re-dispatched (upheld). */
  misroutedTo?: string | null;
  rating?: Rating;
  /** Resolved after the handling deadline. */
  late?: boolean;
  parentId?: string | null;
}

interface Built {
  request: RequestDoc;
  returns: Array<{ departmentId: string; at: Date; reason: string; upheld: boolean | null }>;
}

/** Builds a request with a coherent timeline ending in `spec.status`, every step before `now`. */
function buildRequest(spec: Spec, now: Date): Built {
  const community = communityByCode.get(spec.communityCode)!;
  const item = itemByCode.get(spec.itemCode)!;
  const dept = departmentFor(item, community);
  const level = gradeRequest({ peopleInvolved: spec.peopleInvolved, amountAtStake: spec.amountAtStake, urgent: spec.urgent, emergencyItem: item.emergency });
  const t0 = spec.submittedAt;
  const submitter = spec.residentId ?? (spec.channel === 'GRID_PATROL' ? `worker-${spec.communityCode}` : 'hotline-12345');
  const role = spec.residentId ? 'resident' : spec.channel === 'GRID_PATROL' ? 'community_worker' : 'staff';
  const timeline: RequestEventDoc[] = [];
  const returns: Built['returns'] = [];
  const ev = (at: Date, action: RequestEventDoc['action'], status: RequestStatus, actor: string, actorRole: string, extra: Partial<RequestEventDoc> = {}) =>
    timeline.push({ at, action, status, actor, role: actorRole, note: null, fromDepartmentId: null, toDepartmentId: null, ...extra });
  const staff = (d: string) => `staff-${d}`;
  const span = Math.max(1, now.getTime() - t0.getTime());
  // Steps are spread over the time since submission so an open request's history ends before now.
  const step = (fraction: number, capMinutes: number) => new Date(t0.getTime() + Math.min(span * fraction, capMinutes * 60000));

  const sub = submissionDeadlines(t0, level, item.emergency);
  const r: RequestDoc = {
    _id: seedId(1, spec.i),
    number: `${numberDay(t0)}-9${String(spec.i).padStart(5, '0')}`,
    submitterId: submitter,
    residentId: spec.residentId ?? null,
    idempotencyKey: `seed:${spec.i}`,
    title: spec.title,
    description: spec.description,
    channel: spec.channel,
    status: spec.status,
    open: isOpenStatus(spec.status),
    level,
    urgent: spec.urgent ?? false,
    peopleInvolved: spec.peopleInvolved ?? null,
    amountAtStake: spec.amountAtStake ?? null,
    categoryCode: item.categoryCode,
    itemCode: item.code,
    departmentId: dept,
    communityCode: community.code,
    streetCode: community.streetCode,
    districtCode: districtOfStreet.get(community.streetCode)!,
    parkingLotId: spec.parkingLotId ?? null,
    parentId: null,
    lat: community.lat,
    lng: community.lng,
    address: `${community.name}`,
    submittedAt: t0,
    submittedMonth: localMonthString(t0),
    reviewDueAt: sub.reviewDueAt,
    dispatchDueAt: sub.dispatchDueAt,
    dueAt: sub.dueAt,
    handlingDays: 5,
    extended: false,
    urgeCount: 0,
    escalated: false,
    timeline,
    version: 0,
  };
  ev(t0, 'SUBMITTED', 'SUBMITTED', submitter, role, { note: item.name });
  const finish = (): Built => {
    r.timeline = timeline;
    r.currentDeadline = currentDeadline(r);
    return { request: r, returns };
  };
  if (spec.status === 'SUBMITTED') {
    r.departmentId = streetOfficeId(community.streetCode);
    return finish();
  }
  if (spec.status === 'DUPLICATE') {
    const at = step(0.1, 60);
    r.parentId = spec.parentId ?? null;
    r.closedAt = at;
    ev(at, 'MARKED_DUPLICATE', 'DUPLICATE', staff(streetOfficeId(community.streetCode)), 'staff', { note: `parent ${spec.parentId}` });
    return finish();
  }

  let dispatchedAt = step(0.02, 8);
  if (spec.misroutedTo) {
    ev(dispatchedAt, 'DISPATCHED', 'DISPATCHED', 'system', 'system', { note: '按权责清单自动派单', toDepartmentId: spec.misroutedTo });
    const returnedAt = step(0.05, 90);
    ev(returnedAt, 'RETURNED', 'RETURNED', staff(spec.misroutedTo), 'staff', { note: '非本单位职责，申请退回', fromDepartmentId: spec.misroutedTo });
    if (spec.status === 'RETURNED') {
      returns.push({ departmentId: spec.misroutedTo, at: returnedAt, reason: '非本单位职责，申请退回', upheld: null });
      r.departmentId = null;
      r.dispatchedAt = dispatchedAt;
      r.dispatchDueAt = addMinutes(returnedAt, level === 1 ? 30 : 120);
      return finish();
    }
    returns.push({ departmentId: spec.misroutedTo, at: returnedAt, reason: '非本单位职责，申请退回', upheld: true });
    dispatchedAt = step(0.07, 150);
    ev(dispatchedAt, 'DISPATCHED', 'DISPATCHED', staff(streetOfficeId(community.streetCode)), 'staff', { note: '重新派单', fromDepartmentId: spec.misroutedTo, toDepartmentId: dept });
  } else {
    ev(dispatchedAt, 'DISPATCHED', 'DISPATCHED', 'system', 'system', { note: '按权责清单自动派单', toDepartmentId: dept });
  }
  Object.assign(r, dispatchDeadlines(dispatchedAt, level), { dispatchedAt });
  if (spec.status === 'DISPATCHED') return finish();

  const acceptedAt = new Date(Math.max(step(0.1, level === 1 ? 20 : 240).getTime(), addMinutes(dispatchedAt, 5).getTime()));
  r.acceptedAt = acceptedAt;
  ev(acceptedAt, 'ACCEPTED', 'ACCEPTED', staff(dept), 'staff', { toDepartmentId: dept });
  if (spec.status === 'ACCEPTED') return finish();

  const progressAt = new Date(Math.max(step(0.3, 24 * 60).getTime(), addMinutes(acceptedAt, 5).getTime()));
  ev(progressAt, 'PROGRESS', 'IN_PROGRESS', staff(dept), 'staff', { note: '已安排工作人员到现场核查处置' });
  r.nextUpdateDueAt = level === 1 ? addMinutes(progressAt, 60) : null;
  if (spec.status === 'IN_PROGRESS') return finish();

  const resolvedAt = spec.late ? addWorkingDays(dispatchedAt, 7) : addWorkingDays(dispatchedAt, 1 + (spec.i % 4));
  r.resolvedAt = resolvedAt;
  r.resolvedOnTime = resolvedAt <= r.dueAt;
  r.nextUpdateDueAt = null;
  ev(resolvedAt, 'RESOLVED', 'RESOLVED', staff(dept), 'staff', { note: '已处置完毕，现场已恢复正常' });
  if (spec.status === 'RESOLVED') return finish();

  const rating = spec.rating ?? 'SATISFIED';
  const evaluatedAt = addMinutes(resolvedAt, 600);
  r.evaluation = { rating, comment: rating === 'UNSATISFIED' ? '问题没有根本解决' : '处理及时，感谢', at: evaluatedAt };
  r.rating = rating;
  ev(evaluatedAt, 'EVALUATED', 'RESOLVED', submitter, role, { note: rating });
  if (rating === 'UNSATISFIED') {
    ev(evaluatedAt, 'REOPENED', 'REOPENED', submitter, role, { toDepartmentId: dept });
    Object.assign(r, { resolvedAt: null, resolvedOnTime: null, dispatchedAt: evaluatedAt, dueAt: addWorkingDays(evaluatedAt, 5) });
    return finish();
  }
  r.closedAt = evaluatedAt;
  ev(evaluatedAt, 'CLOSED', 'CLOSED', submitter, role);
  return finish();
}

const TITLES: Record<string, [string, string]> = {
  C01: ['路灯不亮影响夜间出行', '小区门口路段路灯连续几晚不亮，晚上行人和电动车很多，容易发生事故。'],
  C02: ['小区电梯频繁故障', '楼栋电梯近一周多次停运，老人上下楼很困难，物业迟迟不修。'],
  C03: ['公交站台缺少遮阳棚', '站台没有遮阳棚，夏天等车暴晒，希望加装。'],
  C04: ['工厂拖欠工资两个月', '所在工厂已拖欠两个月工资，涉及多名工友，老板避而不见。'],
  C05: ['社保转移办理进度咨询', '从外地转入深圳的社保关系已申请一个月，仍未到账。'],
  C06: ['学位申请材料咨询', '孩子今年上小学一年级，积分入学材料有疑问。'],
  C07: ['社康中心排队时间过长', '社康中心挂号排队超过两个小时，希望增加医生。'],
  C08: ['餐馆油烟直排扰民', '楼下餐馆油烟直接排放，家里窗户都不能开。'],
  C09: ['暴雨后路段积水严重', '每次下大雨路口都积水没过膝盖，车辆熄火。'],
  C10: ['预付卡商家跑路', '健身房突然关门，预付卡余额无法退款。'],
  C11: ['消防通道被堵塞', '小区消防通道长期被杂物和车辆占用，存在火灾隐患。'],
  C12: ['社区活动室开放时间', '希望社区党群服务中心活动室周末也能开放。'],
  C13: ['天台违法搭建', '楼顶有人违法加建铁皮房，存在安全隐患。'],
  C14: ['台风过后广告牌松动', '台风过后街边广告牌松动，随时可能掉落。'],
  C15: ['高龄津贴未到账', '家中老人年满八十，高龄津贴本月未到账。'],
  C16: ['共享停车场夜间车位不足', '错峰共享停车场显示有车位，到场后却没有车位，管理混乱。'],
  C17: ['广场舞噪音扰民', '每晚广场舞音响声音很大，持续到十点以后，影响休息。'],
  C18: ['对社区工作的意见建议', '建议社区在公告栏及时公布办事指南。'],
};

const CHANNELS: Channel[] = ['HOTLINE_12345', 'I_SHENZHEN', 'WECHAT', 'I_SHENZHEN', 'HOTLINE_12345', 'GRID_PATROL', 'ONLINE_MONITORING'];
const RESIDENT_IDS = [DEMO_RESIDENT.id, ...OTHER_RESIDENTS.map((r) => r.id), ...SENIOR_RESIDENTS.map((r) => r.id)];

/** One band of a seeded status mix: rolls below `below` get `status`, aged `minDays` + up to `spreadDays`. */
interface StatusBand {
  below: number;
  status: RequestStatus;
  minDays: number;
  spreadDays: number;
}

const HISTORY_MIX: StatusBand[] = [
  { below: 0.62, status: 'CLOSED', minDays: 15, spreadDays: 100 },
  { below: 0.7, status: 'RESOLVED', minDays: 7, spreadDays: 6 },
  { below: 0.78, status: 'IN_PROGRESS', minDays: 1, spreadDays: 12 },
  { below: 0.83, status: 'ACCEPTED', minDays: 0.2, spreadDays: 2 },
  { below: 0.88, status: 'DISPATCHED', minDays: 0.05, spreadDays: 0.5 },
  { below: 0.9, status: 'RETURNED', minDays: 0.2, spreadDays: 1 },
  { below: 0.92, status: 'REOPENED', minDays: 10, spreadDays: 10 },
  { below: 0.95, status: 'DUPLICATE', minDays: 5, spreadDays: 30 },
];

const UNIT_MIX: StatusBand[] = [
  { below: 0.7, status: 'CLOSED', minDays: 15, spreadDays: 350 },
  { below: 0.78, status: 'RESOLVED', minDays: 7, spreadDays: 6 },
  { below: 0.86, status: 'IN_PROGRESS', minDays: 1, spreadDays: 12 },
  { below: 0.91, status: 'ACCEPTED', minDays: 0.2, spreadDays: 2 },
  { below: 0.95, status: 'DISPATCHED', minDays: 0.05, spreadDays: 0.5 },
];

/** A status and an age from one roll; rolls past every band are old closed requests. */
function statusByRoll(rnd: () => number, mix: StatusBand[], closedMinDays: number, closedSpreadDays: number): { status: RequestStatus; ageDays: number } {
  const roll = rnd();
  const band = mix.find((b) => roll < b.below);
  if (!band) return { status: 'CLOSED', ageDays: closedMinDays + rnd() * closedSpreadDays };
  return { status: band.status, ageDays: band.minDays + rnd() * band.spreadDays };
}

/** The ~200 past requests: spread over communities, items, levels and statuses. */
function historySpecs(now: Date): Spec[] {
  const rnd = random(20211845);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const specs: Spec[] = [];
  const nonFallback = ITEMS.filter((i) => !i.fallback && i.categoryCode !== 'C18');
  const day = 24 * 3600 * 1000;
  for (let i = 0; i < 170; i += 1) {
    const community = COMMUNITIES[i % COMMUNITIES.length];
    const item = pick(nonFallback);
    const [title, description] = TITLES[item.categoryCode];
    // Mostly finished history, as in Guangming's figures, with a tail of open and overdue work.
    const { status, ageDays } = statusByRoll(rnd, i > 20 ? HISTORY_MIX : HISTORY_MIX.filter((b) => b.status !== 'DUPLICATE'), 20, 60);
    const peopleRoll = rnd();
    const channel = pick(CHANNELS);
    specs.push({
      i,
      communityCode: community.code,
      itemCode: item.code,
      channel,
      status,
      submittedAt: new Date(now.getTime() - ageDays * day),
      title: `${community.name}${title}`,
      description,
      residentId: channel === 'GRID_PATROL' || channel === 'ONLINE_MONITORING' ? null : pick(RESIDENT_IDS.slice(1)),
      peopleInvolved: peopleRoll < 0.08 ? 40 : peopleRoll < 0.35 ? 6 + Math.floor(rnd() * 20) : 1 + Math.floor(rnd() * 3),
      amountAtStake: item.categoryCode === 'C04' ? 50000 + Math.floor(rnd() * 200000) : undefined,
      misroutedTo: status === 'RETURNED' || (status === 'CLOSED' && rnd() < 0.08) ? departmentFor(ITEMS.find((x) => x.departmentKind === 'HOUSING')!, community) : null,
      rating: status === 'REOPENED' ? 'UNSATISFIED' : rnd() < 0.85 ? 'SATISFIED' : rnd() < 0.7 ? 'BASICALLY_SATISFIED' : 'UNSATISFIED',
      late: status === 'CLOSED' && rnd() < 0.05,
      parentId: status === 'DUPLICATE' ? String(seedId(1, i - COMMUNITIES.length)) : null,
    });
  }
  return specs.map((s) => (s.status === 'CLOSED' && s.rating === 'UNSATISFIED' ? { ...s, rating: 'BASICALLY_SATISFIED' as const } : s));
}

/** Pingdi's "事办不成反映处": walk-in cases that could not be done at the hall, all closed. */
function pingdiSpecs(now: Date): Spec[] {
  const cases = [
    ['营业执照变更窗口要求重复提交材料', '办理营业执照变更时，窗口要求提交的材料与网上指南不一致，跑了三次没办成。'],
    ['居住证续签系统故障办不成', '到大厅续签居住证，系统故障无法办理，请求跟进。'],
    ['社保卡补办需回户籍地', '社保卡丢失补办，窗口告知需回户籍地办理，希望就地解决。'],
    ['不动产登记预约不上', '不动产登记连续两周预约不上号。'],
    ['老人证明材料难开具', '为老人办理高龄津贴需要的证明不知道去哪里开具。'],
  ];
  return Array.from({ length: 20 }, (_, k) => ({
    i: 170 + k,
    communityCode: '440307001001',
    itemCode: 'C18-05',
    channel: 'WALK_IN' as const,
    status: 'CLOSED' as const,
    submittedAt: new Date(now.getTime() - (10 + k * 4) * 24 * 3600 * 1000),
    title: `事办不成反映：${cases[k % cases.length][0]}`,
    description: cases[k % cases.length][1],
    residentId: null,
    rating: 'SATISFIED' as const,
  }));
}

/** The demo's open requests: always fresh relative to now, so the "my city" page shows them open. */
function demoSpecs(now: Date): Spec[] {
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60000);
  return [
    { i: 190, communityCode: SHUIBEI, itemCode: 'C02-06', channel: 'I_SHENZHEN', status: 'ACCEPTED', submittedAt: minutesAgo(25), urgent: true, peopleInvolved: 12,
      title: '水贝社区楼道燃气味道很重', description: '水贝二村12栋三楼楼道闻到明显燃气味，担心泄漏，请尽快派人处理。', residentId: DEMO_RESIDENT.id },
    { i: 191, communityCode: SHUIBEI, itemCode: 'C17-01', channel: 'WECHAT', status: 'DISPATCHED', submittedAt: minutesAgo(90), peopleInvolved: 2,
      title: '夜间广场舞音响扰民', description: '水贝社区公园每晚广场舞音响开到很大声，十点后仍未停止，影响休息。', residentId: DEMO_RESIDENT.id },
    { i: 192, communityCode: SHUIBEI, itemCode: 'C01-01', channel: 'I_SHENZHEN', status: 'CLOSED', submittedAt: minutesAgo(30 * 24 * 60),
      title: '贝丽北路路灯不亮', description: '贝丽北路有三盏路灯不亮。', residentId: DEMO_RESIDENT.id, rating: 'SATISFIED' },
    { i: 193, communityCode: '440303002001', itemCode: 'C16-01', channel: 'I_SHENZHEN', status: 'IN_PROGRESS', submittedAt: minutesAgo(2 * 24 * 60), parkingLotId: 'PL-DX-01',
      title: '共享停车场显示有位到场无位', description: '东晓社区共享停车场APP显示有空位，到场后保安说已满，白跑一趟。', residentId: 'R-0002' },
    { i: 194, communityCode: '440303002001', itemCode: 'C16-03', channel: 'HOTLINE_12345', status: 'DISPATCHED', submittedAt: minutesAgo(60), parkingLotId: 'PL-DX-01',
      title: '共享停车场超时收费不合理', description: '早上七点二十离场仍被按超时收费，与公示的离场时间不一致。', residentId: 'R-0003' },
    { i: 195, communityCode: '440303002002', itemCode: 'C16-01', channel: 'WECHAT', status: 'ACCEPTED', submittedAt: minutesAgo(5 * 60), parkingLotId: 'PL-DX-02',
      title: '共享停车场入口道闸故障', description: '独树社区共享停车场入口道闸识别不了车牌，排队很久。', residentId: 'R-0005' },
    { i: 196, communityCode: '440303002002', itemCode: 'C16-01', channel: 'I_SHENZHEN', status: 'CLOSED', submittedAt: minutesAgo(40 * 24 * 60), parkingLotId: 'PL-DX-02',
      title: '共享停车场夜间照明不足', description: '停车场内照明不足，夜间取车不安全。', residentId: 'R-0005', rating: 'SATISFIED' },
    { i: 197, communityCode: SHUIBEI, itemCode: 'C11-03', channel: 'GRID_PATROL', status: 'IN_PROGRESS', submittedAt: minutesAgo(9 * 24 * 60), peopleInvolved: 50,
      title: '水贝商业街消防通道被占用', description: '网格巡查发现水贝珠宝商业街消防通道被货物堆占，涉及周边多家商户。', residentId: null },
    { i: 198, communityCode: SHUIBEI, itemCode: 'C18-01', channel: 'HOTLINE_12345', status: 'SUBMITTED', submittedAt: minutesAgo(15),
      title: '咨询社区周末办事安排', description: '想了解周末能否到社区办理相关事项。', residentId: 'R-0002' },
    { i: 199, communityCode: '440311001001', itemCode: 'C09-02', channel: 'ONLINE_MONITORING', status: 'IN_PROGRESS', submittedAt: minutesAgo(8 * 24 * 60), peopleInvolved: 35,
      title: '光明大道下穿隧道积水（未诉先办）', description: '在线监测发现隧道积水传感器报警，主动派单处置。', residentId: null },
  ];
}

/**
 * FerretDB 1.24 keeps each statement's read open until a whole bulk write ends (a `defer` in a
 * loop), one backend connection each: past its pool (50 on PostgreSQL, see shared/ferret.ts)
 * a bulk waits for itself. So bulks stay well under it.
 */
const BULK_CHUNK = 25;

function withoutNulls(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null && v !== undefined));
}

// Replaces whole documents by _id: a second run leaves exactly the same set of documents.
async function upsertAll(model: Model<any>, docs: Array<Record<string, unknown> & { _id: unknown }>): Promise<void> {
  if (docs.length === 0) return;
  // Absent rather than null: FerretDB 1.24 stalls replacing documents with nulls in indexed fields.
  const ops: AnyBulkWriteOperation[] = docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: withoutNulls(doc), upsert: true } }));
  // FerretDB 1.24 stalls on one bulk replacing many existing documents: write in chunks (BULK_CHUNK).
  for (let i = 0; i < ops.length; i += BULK_CHUNK) await model.bulkWrite(ops.slice(i, i + BULK_CHUNK), { ordered: false });
}

/**
 * Idempotent demo seed: reference data, residents, the responsibility list, ~200 requests with
 * coherent timelines, returns and supervision records, community orders and welfare policies.
 * Everything is upserted by a natural or deterministic key; times are relative to `now`.
 */
export async function seed(db: Database, opts: { now: Date; onProgress?: (done: number, total: number) => void; scale?: number }): Promise<void> {
  const extra = extraUnits(opts.scale);
  const progress = (done: number) => opts.onProgress?.(done, 6 + extra);
  const m = await seedReference(db, progress);
  await seedHistory(m, opts.now, progress);
  await seedMicroProjects(m, opts.now, upsertAll);
  for (let unit = 1; unit <= extra; unit += 1) {
    await seedScaleUnit(m, unit, opts.now);
    progress(6 + unit);
  }
  // Pingdi's 事办不成 walk-ins (pingdiSpecs) get their service hall's findings.
  await seedCannotDoCases(m, Array.from({ length: 20 }, (_, k) => seedId(1, 170 + k)));
  // The seed writes requests directly, past the counters' bookkeeping.
  await rebuildStatsCounters({ models: m });
  // The working calendar's notices (also stored at every start; once per year, never over an edit).
  await seedCalendarFromNotices({ models: m, clock: () => opts.now });
}

/** Requests each scale unit adds (with UNIT_RESIDENTS residents): about the demo's own numbers. */
const UNIT_REQUESTS = 200;

/**
 * One more demo's worth of data for `npm run seed -- --scale N` (units 1 … N-1): ten residents
 * and 200 requests of theirs and of the grid, spread over the past year with the full timelines of
 * `buildRequest`, mostly finished. Ids are derived from the unit, so a second run replaces the
 * same documents (idempotent) and unit k is the same data on every machine.
 */
async function seedScaleUnit(m: Models, unit: number, now: Date): Promise<void> {
  const rnd = unitRandom(unit, 1);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const residents = Array.from({ length: UNIT_RESIDENTS }, (_, j) => {
    const n = unit * UNIT_RESIDENTS + j;
    const community = COMMUNITIES[n % COMMUNITIES.length];
    const birthYear = 1950 + Math.floor(rnd() * 55);
    return {
      _id: scaleResidentId(unit, j),
      name: `${pick(['王', '李', '张', '刘', '陈', '杨', '黄', '赵'])}${pick(['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇'])}${pick(['', '华', '明', '丽'])}`,
      phone: `13${String(100000000 + ((n * 7919) % 900000000)).slice(0, 9)}`,
      idNumber: `440303${birthYear}0101${String(n % 10000).padStart(4, '0')}`,
      homeCommunityCode: community.code,
      realNameVerified: true,
    };
  });
  await upsertAll(m.Resident, residents.map((r) => ({ ...r, ...residentFacts(r.idNumber) })));
  const nonFallback = ITEMS.filter((i) => !i.fallback && i.categoryCode !== 'C18');
  const day = 24 * 3600 * 1000;
  const specs: Spec[] = [];
  for (let j = 0; j < UNIT_REQUESTS; j += 1) {
    const resident = pick(residents);
    const community = rnd() < 0.7 ? communityByCode.get(resident.homeCommunityCode)! : pick(COMMUNITIES);
    const item = pick(nonFallback);
    const [title, description] = TITLES[item.categoryCode];
    const { status, ageDays } = statusByRoll(rnd, UNIT_MIX, 30, 300);
    const channel = pick(CHANNELS);
    const grid = channel === 'GRID_PATROL' || channel === 'ONLINE_MONITORING';
    specs.push({
      i: 1_000_000 + unit * 1000 + j,
      communityCode: community.code,
      itemCode: item.code,
      channel,
      status,
      submittedAt: new Date(now.getTime() - ageDays * day),
      title: `${community.name}${title}`,
      description,
      residentId: grid ? null : resident._id,
      peopleInvolved: 1 + Math.floor(rnd() * 8),
      amountAtStake: item.categoryCode === 'C04' ? 50000 + Math.floor(rnd() * 200000) : undefined,
      misroutedTo: status === 'CLOSED' && rnd() < 0.08 ? departmentFor(ITEMS.find((x) => x.departmentKind === 'HOUSING')!, community) : null,
      rating: rnd() < 0.85 ? 'SATISFIED' : 'BASICALLY_SATISFIED',
      late: status === 'CLOSED' && rnd() < 0.05,
    });
  }
  const built = specs.map((spec) => buildRequest(spec, now));
  await upsertAll(m.Request, built.map((b) => b.request as unknown as Record<string, unknown> & { _id: unknown }));
  await upsertAll(
    m.Return,
    built.flatMap((b, k) => b.returns.map((ret, r) => ({ _id: seedId(7, unit * 10_000 + k * 4 + r), requestId: String(b.request._id), ...ret }))),
  );
}

/**
 * The reference data alone (places, departments, residents, the responsibility list, welfare
 * policies): what the subgraph needs to work, without the demo's request history.
 */
export async function seedReference(db: Database, progress: (done: number) => void = () => {}): Promise<Models> {
  const m: Models = createModels(db.conn);
  await syncIndexes(db.conn);

  await upsertAll(m.District, DISTRICTS.map((d, order) => ({ _id: d.code, name: d.name, nameEn: d.nameEn, order })));
  await upsertAll(m.Street, STREETS.map((s) => ({ _id: s.code, name: s.name, districtCode: s.districtCode })));
  await upsertAll(m.Community, COMMUNITIES.map((c) => ({ _id: c.code, name: c.name, streetCode: c.streetCode, districtCode: districtOfStreet.get(c.streetCode)!, lat: c.lat, lng: c.lng })));
  await upsertAll(m.Department, DEPARTMENTS.map((d) => ({ _id: d.id, name: d.name, kind: d.kind, districtCode: d.districtCode ?? null, streetCode: d.streetCode ?? null })));
  progress(1);

  // Every demo resident is registered and verified, so the demo's hostel and parking flows run.
  const residents = [DEMO_RESIDENT, ...OTHER_RESIDENTS, ...SENIOR_RESIDENTS];
  await upsertAll(m.Resident, residents.map((r) => ({ _id: r.id, name: r.name, phone: r.phone, idNumber: r.idNumber, homeCommunityCode: r.homeCommunityCode, realNameVerified: true, ...residentFacts(r.idNumber) })));
  await backfillResidentFacts({ models: m });
  progress(2);

  // Categories and items an admin changed (version > 1) are the source of truth: the seed only
  // (re)writes version 1, and records it once in the list's history.
  const edited = new Set([...(await m.Category.find({}, { version: 1 }).lean()), ...(await m.Item.find({}, { version: 1 }).lean())].filter((d) => (d.version ?? 1) > 1).map((d) => d._id));
  const seededCategories = CATALOG.map((c, order) => ({ _id: c.code, name: c.name, order, version: 1 })).filter((c) => !edited.has(c._id));
  const seededItems = ITEMS.filter((i) => !edited.has(i.code)).map((i) => ({
      _id: i.code,
      name: i.name,
      categoryCode: i.categoryCode,
      departmentKind: i.departmentKind,
      emergency: i.emergency,
      dispatchLimitMinutes: i.emergency ? 30 : 120,
      handlingDays: 5,
      keywords: i.keywords,
      fallback: i.fallback ?? false,
      version: 1,
    }));
  await upsertAll(m.Category, seededCategories);
  await upsertAll(m.Item, seededItems);
  await seedListVersions({ models: m }, { items: seededItems, categories: seededCategories, at: new Date(0) });
  await upsertAll(m.WelfarePolicy, POLICIES);
  progress(3);
  return m;
}

/** The demo's requests, returns, supervision, community orders and policy pushes, relative to `now`. */
async function seedHistory(m: Models, now: Date, progress: (done: number) => void): Promise<void> {
  const built = [...historySpecs(now), ...pingdiSpecs(now), ...demoSpecs(now)].map((s) => buildRequest(s, now));
  await upsertAll(m.Request, built.map((b) => b.request as unknown as Record<string, unknown> & { _id: unknown }));
  const returns = built.flatMap((b, k) => b.returns.map((ret, j) => ({ _id: seedId(2, k * 4 + j), requestId: String(b.request._id), ...ret })));
  await upsertAll(m.Return, returns);
  // Overdue history carries the supervision a department would have received.
  const supervised = built.filter((b) => b.request.status === 'IN_PROGRESS' && b.request.dueAt < addMinutes(now, -24 * 60));
  await upsertAll(
    m.Supervision,
    supervised.map((b, k) => ({ _id: seedId(3, k), requestId: String(b.request._id), departmentId: b.request.departmentId, action: 'URGE', at: now, actor: 'system', automatic: true, note: null })),
  );
  if (supervised.length) {
    await m.Request.updateMany({ _id: { $in: supervised.map((b) => b.request._id) } }, { $set: { urgedAt: now, urgeCount: 1 } });
  }
  progress(4);

  const hours = (h: number) => new Date(now.getTime() + h * 3600000);
  await upsertAll(m.CommunityOrder, [
    { _id: seedId(4, 1), communityCode: SHUIBEI, streetCode: '440303003', districtCode: '440303', departmentId: 'LH-URBAN', subject: '水贝珠宝商业街占道经营整治', issuedBy: `worker-${SHUIBEI}`, issuedAt: hours(-96), reportBy: hours(-72), status: 'REPORTED', reportedAt: hours(-80), reportNote: '已到场联合整治，清理占道摊点12处', onTime: true },
    { _id: seedId(4, 2), communityCode: SHUIBEI, streetCode: '440303003', districtCode: '440303', departmentId: 'LH-HOUSING', subject: '水贝二村危房排查', issuedBy: `worker-${SHUIBEI}`, issuedAt: hours(-60), reportBy: hours(-36), status: 'REPORTED', reportedAt: hours(-30), reportNote: '已完成排查，2栋需加固', onTime: false },
    { _id: seedId(4, 3), communityCode: '440311001001', streetCode: '440311001', districtCode: '440311', departmentId: 'GM-WATER', subject: '光明社区雨季内涝点巡查', issuedBy: 'worker-440311001001', issuedAt: hours(-4), reportBy: hours(20), status: 'ISSUED', reportedAt: null, reportNote: null, onTime: null },
  ]);
  await upsertAll(m.PolicyPush, [
    { _id: seedId(5, 1), policyId: 'WP-SENIOR-ALLOWANCE', residentId: 'R-0006', status: 'ACCEPTED', pushedAt: hours(-240), respondedAt: hours(-200) },
    { _id: seedId(5, 2), policyId: 'WP-SENIOR-ALLOWANCE', residentId: 'R-0007', status: 'PUSHED', pushedAt: hours(-240), respondedAt: null },
  ]);
  progress(5);
  progress(6);
}
