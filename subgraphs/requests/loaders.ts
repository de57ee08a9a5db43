import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import { aggregateLoader, byKeyLoader, fetchPerKey, groupLoader, idFilter } from '../../shared/subgraph/loaders';
import type { CaseHandling } from '../../shared/subgraph/privacy';
import { OPEN_STATUSES, FINISHED_STATUSES, isOpen } from './domain/lifecycle';
import { EMPTY_STATS, type RequestStatsValue } from './domain/stats';
import type { CannotDoCaseDoc, CategoryDoc, CommunityDoc, CommunityOrderDoc, DepartmentDoc, DistrictDoc, ItemDoc, Models, RequestDoc, ResidentDoc, StreetDoc, WelfarePolicyDoc } from './models';
import { statsByKey, type StatsField } from './services/stats';
import { countedGroups, isOpenStatus } from './services/stats-counters';
import { trendByCommunity, type DayCount } from './services/trend';
import { microProjectLoaders } from './loaders-microprojects';

/**
 * Results come back in one reply however many keys a batch has (the driver's default first batch
 * is 101 documents, after which it sends getMore commands that grow with the list).
 */
export const ONE_BATCH = 100_000;

const validObjectIds = (keys: readonly string[]) => keys.filter((k) => /^[0-9a-f]{24}$/i.test(k)).map((k) => new Types.ObjectId(k));

/** Which of a community's requests a list shows. */
export type OpenFilter = 'all' | 'open' | 'finished';

export function openFilterOf(open: boolean | null | undefined): OpenFilter {
  return open === true ? 'open' : open === false ? 'finished' : 'all';
}

/** `open` (not `status: { $in }`): an equality FerretDB pushes down. */
function statusCondition(filter: OpenFilter) {
  if (filter === 'open') return { open: true };
  if (filter === 'finished') return { open: false };
  return {};
}

/**
 * Open requests per parking lot. The lots' counters (one `_id` lookup) say which lots have open
 * requests at all, and only those are queried, one pushed-down equality each: a search returns up
 * to the city's every lot, and one `$in` over them would read every request of the city.
 */
async function openRequestsOfLots(models: Models, lotIds: readonly string[]): Promise<RequestDoc[]> {
  const groups = lotIds.length > 1 ? await countedGroups(models, 'parkingLotId', lotIds) : undefined;
  const withOpen = groups ? lotIds.filter((id) => (groups.get(id) ?? []).some((g) => isOpenStatus(g.status) && g.count > 0)) : lotIds;
  const lists = await Promise.all(
    withOpen.map((id) => models.Request.find({ parkingLotId: id, open: true }).sort({ submittedAt: -1 }).batchSize(ONE_BATCH).lean<RequestDoc[]>().exec()),
  );
  return lists.flat();
}

/**
 * Fetches, for keys like `<value>|<filter>`, every request whose `field` is one of the values, with
 * one query per filter variant present in the batch (at most three), newest first.
 */
function filteredGroupLoader(models: Models, field: 'communityCode' | 'residentId') {
  return groupLoader<string, RequestDoc & { __key: string }>(async (keys) => {
    const byFilter = new Map<OpenFilter, string[]>();
    for (const key of keys) {
      const [value, filter] = key.split('|') as [string, OpenFilter];
      byFilter.set(filter, [...(byFilter.get(filter) ?? []), value]);
    }
    const results = await Promise.all(
      [...byFilter].map(async ([filter, values]) => {
        const docs = await fetchPerKey(values, (some) =>
          models.Request.find({ [field]: idFilter(some), ...statusCondition(filter) })
            .sort({ submittedAt: -1 })
            .lean<RequestDoc[]>()
            .exec(),
        );
        return docs.map((d) => ({ ...d, __key: `${d[field]}|${filter}` }));
      }),
    );
    return results.flat();
  }, (d) => d.__key);
}

function statsLoader(models: Models, field: StatsField, clock: () => Date) {
  return aggregateLoader<string, RequestStatsValue>((keys) => statsByKey(models, field, keys, clock()), EMPTY_STATS);
}

/** A fresh set of loaders per operation: each entity and child list costs one batched query per tick. */
export function createLoaders(models: Models, clock: () => Date) {
  return {
    ...microProjectLoaders(models),
    district: byKeyLoader((keys: readonly string[]) => models.District.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<DistrictDoc[]>().exec(), (d) => d._id),
    street: byKeyLoader((keys: readonly string[]) => models.Street.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<StreetDoc[]>().exec(), (d) => d._id),
    community: byKeyLoader((keys: readonly string[]) => models.Community.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<CommunityDoc[]>().exec(), (d) => d._id),
    department: byKeyLoader((keys: readonly string[]) => models.Department.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<DepartmentDoc[]>().exec(), (d) => d._id),
    resident: byKeyLoader((keys: readonly string[]) => models.Resident.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<ResidentDoc[]>().exec(), (d) => d._id),
    category: byKeyLoader((keys: readonly string[]) => models.Category.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<CategoryDoc[]>().exec(), (d) => d._id),
    item: byKeyLoader((keys: readonly string[]) => models.Item.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<ItemDoc[]>().exec(), (d) => d._id),
    policy: byKeyLoader((keys: readonly string[]) => models.WelfarePolicy.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<WelfarePolicyDoc[]>().exec(), (d) => d._id),
    request: byKeyLoader(
      (keys: readonly string[]) => models.Request.find({ _id: idFilter(validObjectIds(keys)) }).batchSize(ONE_BATCH).lean<RequestDoc[]>(),
      (d) => String(d._id),
    ),

    streetsByDistrict: groupLoader((keys: readonly string[]) => models.Street.find({ districtCode: idFilter(keys) }).sort({ _id: 1 }).batchSize(ONE_BATCH).lean(), (s) => s.districtCode),
    communitiesByStreet: groupLoader((keys: readonly string[]) => models.Community.find({ streetCode: idFilter(keys) }).sort({ _id: 1 }).batchSize(ONE_BATCH).lean(), (c) => c.streetCode),
    communitiesByDistrict: groupLoader((keys: readonly string[]) => models.Community.find({ districtCode: idFilter(keys) }).sort({ _id: 1 }).batchSize(ONE_BATCH).lean(), (c) => c.districtCode),
    streetOffice: byKeyLoader((keys: readonly string[]) => models.Department.find({ kind: 'STREET_OFFICE', streetCode: idFilter(keys) }).batchSize(ONE_BATCH).lean(), (d) => d.streetCode ?? ''),
    itemsByCategory: groupLoader((keys: readonly string[]) => models.Item.find({ categoryCode: idFilter(keys) }).sort({ _id: 1 }).batchSize(ONE_BATCH).lean(), (i) => i.categoryCode),

    duplicatesByParent: groupLoader((keys: readonly string[]) => models.Request.find({ parentId: idFilter(keys) }).sort({ submittedAt: 1 }).batchSize(ONE_BATCH).lean<RequestDoc[]>(), (r) => r.parentId ?? ''),
    openRequestsByLot: groupLoader((keys: readonly string[]) => openRequestsOfLots(models, keys), (r) => r.parkingLotId ?? ''),
    /** Keys are `<communityCode>|<OpenFilter>`. */
    requestsByCommunity: filteredGroupLoader(models, 'communityCode'),
    /** Keys are `<residentId>|<OpenFilter>`. */
    requestsByResident: filteredGroupLoader(models, 'residentId'),
    overdueByDepartment: groupLoader(
      (keys: readonly string[]) =>
        models.Request.find({ departmentId: idFilter(keys), open: true, currentDeadline: { $lt: clock() } })
          .sort({ currentDeadline: 1 })
          .lean<RequestDoc[]>(),
      (r) => r.departmentId ?? '',
    ),

    /**
     * Keys are `<departmentId>|<residentId>`: how the department stands to the resident's cases
     * (one open, or when the last one it held finished), or null when it never held one.
     */
    departmentCasesOfResident: new DataLoader<string, CaseHandling | null>(async (keys) => {
      const rows = await fetchPerKey(keys, (some) => {
        const pairs = some.map((k) => k.split('|') as [string, string]);
        return models.Request.find(
          { departmentId: idFilter([...new Set(pairs.map(([d]) => d))]), residentId: idFilter([...new Set(pairs.map(([, r]) => r))]) },
          { departmentId: 1, residentId: 1, status: 1, closedAt: 1, resolvedAt: 1, submittedAt: 1 },
        ).batchSize(ONE_BATCH).lean<Array<Pick<RequestDoc, 'departmentId' | 'residentId' | 'status' | 'closedAt' | 'resolvedAt' | 'submittedAt'>>>().exec();
      });
      const byKey = new Map<string, CaseHandling>();
      for (const r of rows) {
        const key = `${r.departmentId}|${r.residentId}`;
        const cur = byKey.get(key) ?? { open: false, lastClosedAt: null };
        if (isOpen(r.status)) cur.open = true;
        else {
          // A finished case closes when it is closed (or marked duplicate), else when it was resolved.
          const finished = new Date(r.closedAt ?? r.resolvedAt ?? r.submittedAt);
          if (!cur.lastClosedAt || finished > cur.lastClosedAt) cur.lastClosedAt = finished;
        }
        byKey.set(key, cur);
      }
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    statsByCommunity: statsLoader(models, 'communityCode', clock),
    /** Keys are `<communityCode>|<days>`; one query per distinct window length. */
    trendByCommunity: new DataLoader<string, DayCount[]>(async (keys) => {
      const byDays = new Map<number, string[]>();
      for (const key of keys) {
        const [code, days] = key.split('|');
        byDays.set(Number(days), [...(byDays.get(Number(days)) ?? []), code]);
      }
      const results = new Map<string, DayCount[]>();
      for (const [days, codes] of byDays) {
        const trend = await trendByCommunity(models, codes, days, clock());
        for (const [code, series] of trend) results.set(`${code}|${days}`, series);
      }
      return keys.map((k) => results.get(k) ?? []);
    }),
    statsByStreet: statsLoader(models, 'streetCode', clock),
    statsByDistrict: statsLoader(models, 'districtCode', clock),
    statsByDepartment: statsLoader(models, 'departmentId', clock),

    returnsByDepartment: aggregateLoader<string, { total: number; upheld: number }>(async (keys) => {
      const rows = await models.Return.aggregate<{ _id: { d: string; u?: boolean | null }; n: number }>([
        { $match: { departmentId: idFilter(keys) } },
        { $group: { _id: { d: '$departmentId', u: '$upheld' }, n: { $count: {} } } },
      ]).option({ batchSize: ONE_BATCH });
      const out = new Map<string, { total: number; upheld: number }>();
      for (const row of rows) {
        const cur = out.get(row._id.d) ?? { total: 0, upheld: 0 };
        cur.total += row.n;
        if (row._id.u === true) cur.upheld += row.n;
        out.set(row._id.d, cur);
      }
      return out;
    }, { total: 0, upheld: 0 }),
    supervisionByDepartment: aggregateLoader<string, { urges: number; escalations: number }>(async (keys) => {
      const rows = await models.Supervision.aggregate<{ _id: { d: string; a: 'URGE' | 'ESCALATE' }; n: number }>([
        { $match: { departmentId: idFilter(keys) } },
        { $group: { _id: { d: '$departmentId', a: '$action' }, n: { $count: {} } } },
      ]).option({ batchSize: ONE_BATCH });
      const out = new Map<string, { urges: number; escalations: number }>();
      for (const row of rows) {
        const cur = out.get(row._id.d) ?? { urges: 0, escalations: 0 };
        if (row._id.a === 'URGE') cur.urges += row.n;
        else cur.escalations += row.n;
        out.set(row._id.d, cur);
      }
      return out;
    }, { urges: 0, escalations: 0 }),

    ordersByCommunity: groupLoader((keys: readonly string[]) => models.CommunityOrder.find({ communityCode: idFilter(keys) }).sort({ issuedAt: -1 }).batchSize(ONE_BATCH).lean(), (o) => o.communityCode),
    ordersByDepartment: groupLoader((keys: readonly string[]) => models.CommunityOrder.find({ departmentId: idFilter(keys) }).sort({ issuedAt: -1 }).batchSize(ONE_BATCH).lean(), (o) => o.departmentId),
    pushesByResident: groupLoader((keys: readonly string[]) => models.PolicyPush.find({ residentId: idFilter(keys) }).sort({ pushedAt: -1 }).batchSize(ONE_BATCH).lean(), (p) => p.residentId),
    pushCountsByPolicy: aggregateLoader<string, { pushed: number; accepted: number; declined: number }>(async (keys) => {
      const rows = await models.PolicyPush.aggregate<{ _id: { p: string; s: string }; n: number }>([
        { $match: { policyId: idFilter(keys) } },
        { $group: { _id: { p: '$policyId', s: '$status' }, n: { $count: {} } } },
      ]).option({ batchSize: ONE_BATCH });
      const out = new Map<string, { pushed: number; accepted: number; declined: number }>();
      for (const row of rows) {
        const cur = out.get(row._id.p) ?? { pushed: 0, accepted: 0, declined: 0 };
        cur.pushed += row.n;
        if (row._id.s === 'ACCEPTED') cur.accepted += row.n;
        if (row._id.s === 'DECLINED') cur.declined += row.n;
        out.set(row._id.p, cur);
      }
      return out;
    }, { pushed: 0, accepted: 0, declined: 0 }),
    /** A responsibility-list item's version by `<code>@<version>` (what a request was classified under). */
    itemVersion: byKeyLoader((keys: readonly string[]) => models.ItemVersion.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean(), (v) => v._id),
    /** Open requests past their current deadline, most overdue first (the community board's list). */
    overdueByCommunity: groupLoader(
      (keys: readonly string[]) =>
        models.Request.find({ communityCode: idFilter(keys), open: true, currentDeadline: { $lt: clock() } })
          .sort({ currentDeadline: 1 })
          .batchSize(ONE_BATCH)
          .lean<RequestDoc[]>(),
      (r) => r.communityCode,
    ),
    /** The 事办不成 finding of a request (keyed by the request's id), or null. */
    cannotDoCase: byKeyLoader((keys: readonly string[]) => models.CannotDoCase.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<CannotDoCaseDoc[]>().exec(), (c) => c._id),
    /** A community order by id (an ORDER_REPORT alert's order). */
    communityOrder: byKeyLoader(
      (keys: readonly string[]) => models.CommunityOrder.find({ _id: idFilter(validObjectIds(keys)) }).batchSize(ONE_BATCH).lean<CommunityOrderDoc[]>(),
      (o) => String(o._id),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
