import { Types, type Model } from 'mongoose';
import { COMMUNITIES, DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import type { MicroProjectCategory, MicroProjectEventAction, MicroProjectStatus } from './domain/microprojects';
import { streetOfficeId } from './domain/permissions';
import type { Models } from './models';
import type { MicroProjectDoc, MicroProjectEventDoc } from './models/micro-project';

type Upsert = (model: Model<any>, docs: Array<Record<string, unknown> & { _id: unknown }>) => Promise<void>;

interface Example {
  title: string;
  description: string;
  category: MicroProjectCategory;
  estimate: number;
}

/**
 * Typical 民生微实事 of Shenzhen's communities, by the programme's three kinds. The seed article
 * gives only the totals (4,060 projects, 740 million yuan by May 2021: about 182,000 yuan each);
 * these are the kinds of works, services and goods communities publish on their lists.
 */
const EXAMPLES: Example[] = [
  { title: '老旧楼栋楼道加装扶手', description: '辖区多栋老旧住宅楼梯无扶手，老人上下楼不便，申请加装不锈钢扶手。', category: 'ENGINEERING', estimate: 86000 },
  { title: '电动自行车集中充电棚建设', description: '居民在楼道内给电动车充电存在火灾隐患，申请在空地建设带智能充电桩的集中充电棚。', category: 'ENGINEERING', estimate: 240000 },
  { title: '长者饭堂助餐服务', description: '为辖区60岁以上老人提供每日午餐助餐服务，行动不便的老人可送餐上门。', category: 'SERVICE', estimate: 150000 },
  { title: '“四点半课堂”课后托管', description: '为双职工家庭子女提供放学后作业辅导和兴趣活动，由社工和志愿者带领。', category: 'SERVICE', estimate: 98000 },
  { title: '社区小公园健身路径改造', description: '小公园健身器材老化破损，申请更换器材并铺设塑胶地面。', category: 'ENGINEERING', estimate: 180000 },
  { title: '楼栋应急救援箱与AED配置', description: '在社区党群服务中心和人流密集处配置AED除颤仪及应急救援箱，并组织急救培训。', category: 'GOODS', estimate: 65000 },
  { title: '社区图书室添置图书', description: '社区图书室图书陈旧，申请采购儿童绘本和老年保健类图书约2000册。', category: 'GOODS', estimate: 40000 },
  { title: '独居老人上门探访服务', description: '组织社工定期上门探访独居、空巢老人，提供心理疏导和安全检查。', category: 'SERVICE', estimate: 72000 },
  { title: '无障碍坡道改造', description: '社区主要出入口台阶较高，轮椅和婴儿车通行困难，申请改造为无障碍坡道。', category: 'ENGINEERING', estimate: 120000 },
  { title: '公共区域休闲座椅采购', description: '社区步行道沿线缺少休息座椅，申请采购安装户外休闲座椅20张。', category: 'GOODS', estimate: 30000 },
];

/**
 * The lifecycles the demo shows in every community, oldest first: one accepted, one under way,
 * one approved, one in consultation (voting open for five more days), one just proposed.
 */
const PLANS: Array<{ status: MicroProjectStatus; ageDays: number }> = [
  { status: 'ACCEPTED', ageDays: 200 },
  { status: 'IN_PROGRESS', ageDays: 90 },
  { status: 'APPROVED', ageDays: 45 },
  { status: 'CONSULTING', ageDays: 3 },
  { status: 'PROPOSED', ageDays: 1 },
];

const DAY = 24 * 3600 * 1000;

/** Deterministic ids (`6d70` + community code + index), so a second seed replaces the same projects. */
const projectId = (community: string, i: number) => new Types.ObjectId(`6d70${community}${String(i).padStart(8, '0')}`);

function build(community: (typeof COMMUNITIES)[number], districtCode: string, k: number, i: number, now: Date): MicroProjectDoc {
  const plan = PLANS[i];
  const ex = EXAMPLES[(k * 3 + i) % EXAMPLES.length];
  const at = (days: number) => new Date(now.getTime() - days * DAY);
  const worker = { actor: `worker-${community.code}`, role: 'community_worker' };
  const office = { actor: `staff-${streetOfficeId(community.streetCode)}`, role: 'staff' };
  const proposerId = community.code === SHUIBEI && i === 0 ? DEMO_RESIDENT_ID : null;
  const timeline: MicroProjectEventDoc[] = [];
  const step = (days: number, action: MicroProjectEventAction, status: MicroProjectStatus, who: { actor: string; role: string }, extra: Partial<MicroProjectEventDoc> = {}) =>
    timeline.push({ at: at(days), action, status, ...who, ...extra });
  const d0 = plan.ageDays;
  step(d0, 'PROPOSED', 'PROPOSED', proposerId ? { actor: proposerId, role: 'resident' } : { actor: `R-SEED-${community.code}-${i}`, role: 'resident' });
  const order = ['PROPOSED', 'CONSULTING', 'SUPPORTED', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'ACCEPTED'];
  const reached = (s: MicroProjectStatus) => order.indexOf(plan.status) >= order.indexOf(s);
  // Voters at the consultation, recorded as the community's residents' council counted them.
  const support = 40 + ((k * 7 + i * 5) % 60);
  const oppose = 3 + ((k + i) % 9);
  const approvedBudget = Math.round((ex.estimate * (0.85 + ((k + i) % 3) * 0.05)) / 1000) * 1000;
  let spent = 0;
  if (reached('CONSULTING')) step(d0 - 1, 'CONSULTATION_OPENED', 'CONSULTING', worker);
  if (reached('SUPPORTED')) step(d0 - 8, 'CONSULTATION_PASSED', 'SUPPORTED', worker, { note: `支持 ${support} 票，反对 ${oppose} 票` });
  if (reached('APPROVED')) step(d0 - 15, 'APPROVED', 'APPROVED', office, { note: '经街道审核，按核定预算实施' });
  if (reached('IN_PROGRESS')) {
    spent += Math.round(approvedBudget * 0.4);
    step(d0 - 30, 'PROGRESS_REPORTED', 'IN_PROGRESS', worker, { stage: 'STARTED', note: '承接单位进场，项目启动', spend: Math.round(approvedBudget * 0.4) });
  }
  if (reached('COMPLETED')) {
    const rest = Math.round(approvedBudget * 0.55);
    spent += rest;
    step(d0 - 60, 'PROGRESS_REPORTED', 'COMPLETED', worker, { stage: 'COMPLETED', note: '项目已完成，待居民验收', spend: rest });
  }
  if (reached('ACCEPTED')) {
    step(d0 - 70, 'ACCEPTANCE_SIGNED', 'COMPLETED', proposerId ? { actor: proposerId, role: 'resident' } : { actor: `R-SEED-${community.code}-${i}`, role: 'resident' }, { party: 'PROPOSER', note: '效果良好' });
    step(d0 - 70, 'ACCEPTANCE_SIGNED', 'COMPLETED', worker, { party: 'COMMUNITY' });
    step(d0 - 70, 'ACCEPTED', 'ACCEPTED', worker);
  }
  return {
    _id: projectId(community.code, i),
    title: `${community.name}${ex.title.replace(/^社区/, '')}`,
    description: ex.description,
    category: ex.category,
    status: plan.status,
    communityCode: community.code,
    streetCode: community.streetCode,
    districtCode,
    proposerId,
    estimatedBudget: ex.estimate,
    approvedBudget: reached('APPROVED') ? approvedBudget : null,
    spent,
    proposedAt: at(d0),
    votingEndsAt: reached('CONSULTING') ? at(plan.status === 'CONSULTING' ? -5 : d0 - 8) : null,
    approvedAt: reached('APPROVED') ? at(d0 - 15) : null,
    completedAt: reached('COMPLETED') ? at(d0 - 60) : null,
    acceptedAt: reached('ACCEPTED') ? at(d0 - 70) : null,
    tally: reached('SUPPORTED') ? { support, oppose } : null,
    acceptedBy: reached('ACCEPTED') ? ['PROPOSER', 'COMMUNITY'] : [],
    version: timeline.length - 1,
    timeline,
  };
}

/** Five micro-projects per demo community (the lifecycles of PLANS), relative to `now`; idempotent. */
export async function seedMicroProjects(m: Models, now: Date, upsertAll: Upsert): Promise<void> {
  const districtOf = new Map((await m.Street.find({}, { districtCode: 1 }).lean()).map((s) => [s._id, s.districtCode]));
  const projects = COMMUNITIES.flatMap((c, k) => PLANS.map((_, i) => build(c, districtOf.get(c.streetCode)!, k, i, now)));
  await upsertAll(m.MicroProject, projects as unknown as Array<Record<string, unknown> & { _id: unknown }>);
  // Shuibei's open consultation already has two of its registered residents' votes.
  const consulting = String(projectId(SHUIBEI, PLANS.findIndex((p) => p.status === 'CONSULTING')));
  await upsertAll(m.MicroProjectVote, [
    { _id: new Types.ObjectId(`6d71${SHUIBEI}00000001`), projectId: consulting, residentId: 'R-0002', support: true, at: new Date(now.getTime() - DAY) },
    { _id: new Types.ObjectId(`6d71${SHUIBEI}00000002`), projectId: consulting, residentId: 'R-0006', support: false, at: new Date(now.getTime() - DAY / 2) },
  ]);
}
