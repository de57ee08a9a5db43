import { Types } from 'mongoose';
import { COMMUNITIES, DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/requests/models';
import { adminViewer, residentViewer, type RunningSubgraph } from '../support/subgraph';
import { ok, startRequests } from './helpers';

let sg: RunningSubgraph;

beforeAll(async () => {
  sg = await startRequests('rq_entities');
});
afterAll(() => sg?.stop());

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ';

describe('_entities', () => {
  it('resolves District, Street, Community, Department, Resident, Request and ParkingLot from their keys', async () => {
    const demoRequest = (await ok(sg, '{ me { requests(open: true) { id } } }', {}, residentViewer(DEMO_RESIDENT_ID))).me.requests[0].id;
    const data = await ok(
      sg,
      `${ENTITIES}
        ... on District { code name }
        ... on Street { code name district { code } }
        ... on Community { code name requestStats { received } }
        ... on Department { id name kind }
        ... on Resident { id name phone }
        ... on Request { id title community { code } }
        ... on ParkingLot { id openRequests { id status parkingLot { id } } }
      } }`,
      {
        r: [
          { __typename: 'District', code: '440303' },
          { __typename: 'Street', code: '440303003' },
          { __typename: 'Community', code: SHUIBEI },
          { __typename: 'Department', id: 'LH-URBAN' },
          { __typename: 'Resident', id: DEMO_RESIDENT_ID },
          { __typename: 'Request', id: demoRequest },
          { __typename: 'ParkingLot', id: 'PL-DX-01' },
          { __typename: 'ParkingLot', id: 'PL-DX-99' },
          { __typename: 'Community', code: '000000' },
          { __typename: 'Request', id: 'bad' },
        ],
      },
      residentViewer('R-0002'),
    );
    const [district, street, community, dept, resident, request, lot, emptyLot, missing, bad] = data._entities;
    expect(district).toEqual({ __typename: 'District', code: '440303', name: '罗湖区' });
    expect(street).toEqual({ __typename: 'Street', code: '440303003', name: '翠竹街道', district: { code: '440303' } });
    expect(community.name).toBe('水贝社区');
    expect(community.requestStats.received).toBeGreaterThan(0);
    expect(dept).toMatchObject({ id: 'LH-URBAN', kind: 'URBAN_MANAGEMENT' });
    expect(resident).toEqual({ __typename: 'Resident', id: DEMO_RESIDENT_ID, name: '李晓明', phone: '138****5678' });
    expect(request).toMatchObject({ id: demoRequest, community: { code: SHUIBEI } });
    expect(lot.openRequests.length).toBeGreaterThanOrEqual(2);
    for (const r of lot.openRequests) expect(r.parkingLot.id).toBe('PL-DX-01');
    expect(lot.openRequests.every((r: any) => !['RESOLVED', 'CLOSED', 'DUPLICATE'].includes(r.status))).toBe(true);
    expect(emptyLot).toEqual({ __typename: 'ParkingLot', id: 'PL-DX-99', openRequests: [] });
    expect(missing).toBeNull();
    expect(bad).toBeNull();
  });
});

/*
 * Batches of up to PER_KEY_BATCH_MAX keys are one equality query per key (pushed down on FerretDB,
 * see shared/loaders.ts), larger ones one `$in`: so a short list may cost a few more commands than
 * a long one, and neither grows past a fixed bound however long the list.
 */
describe('database commands stay bounded whatever the list size', () => {
  const CHILDREN = `... on Request { id number status levelColor overdue
      category { name } item { name } department { name district { name } }
      community { name street { name district { name } } requestStats { received overdueLevel1 } }
      parkingLot { id } parent { id } duplicates { id } submitter { name }
      timeline { action toDepartment { name } } open311 { agency_responsible } }`;

  async function commandsFor(ids: string[]): Promise<number> {
    sg.db.counter.reset();
    const data = await ok(sg, `${ENTITIES} ${CHILDREN} } }`, { r: ids.map((id) => ({ __typename: 'Request', id })) }, adminViewer);
    expect(data._entities.filter(Boolean)).toHaveLength(ids.length);
    return sg.db.counter.total;
  }

  it('resolving 10 or 100 Request entities with their child fields costs a bounded number of commands', async () => {
    const ids = (await createModels(sg.db.conn).Request.find({}, { _id: 1 }).limit(100).lean()).map((r) => String(r._id as Types.ObjectId));
    expect(ids).toHaveLength(100);
    const ten = await commandsFor(ids.slice(0, 10));
    const hundred = await commandsFor(ids);
    console.log(`requests subgraph: _entities with children, 10 requests → ${ten} commands, 100 → ${hundred}`);
    expect(hundred).toBeLessThanOrEqual(20);
    expect(ten).toBeLessThanOrEqual(32);
  });

  it('lists of communities with stats and requests, and 100 lot representations, cost bounded commands', async () => {
    sg.db.counter.reset();
    await ok(sg, '{ communities { name street { name district { name } } requestStats { received resolved overdueLevel1 } requests(open: true) { id department { name } } communityOrders { id } } }', {});
    const communities = sg.db.counter.total;
    sg.db.counter.reset();
    await ok(sg, `query($c: ID) { communities(streetCode: $c) { name street { name district { name } } requestStats { received resolved overdueLevel1 } requests(open: true) { id department { name } } communityOrders { id } } }`, { c: '440303002' });
    const streetCommunities = sg.db.counter.total;
    console.log(`requests subgraph: ${COMMUNITIES.length} communities with stats and open requests → ${communities} commands, one street's → ${streetCommunities}`);
    expect(communities).toBeLessThanOrEqual(10);
    expect(streetCommunities).toBeLessThanOrEqual(24);

    const lots = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'ParkingLot', id: `PL-DX-${String(i + 1).padStart(2, '0')}` }));
    sg.db.counter.reset();
    await ok(sg, `${ENTITIES} ... on ParkingLot { openRequests { id title status community { name } } } } }`, { r: lots(100) });
    const hundredLots = sg.db.counter.total;
    sg.db.counter.reset();
    await ok(sg, `${ENTITIES} ... on ParkingLot { openRequests { id title status community { name } } } } }`, { r: lots(5) });
    const fiveLots = sg.db.counter.total;
    console.log(`requests subgraph: 100 ParkingLot representations with openRequests → ${hundredLots} commands, 5 → ${fiveLots}`);
    // The lots' counters (one command) name the lots with open requests; each of those is one
    // pushed-down query (a `$in` over every lot would read every request), then their communities
    // (at most one per such lot).
    const withOpen = (await createModels(sg.db.conn).Request.distinct('parkingLotId', { open: true, parkingLotId: { $in: lots(100).map((l) => l.id) } })).length;
    expect(withOpen).toBeGreaterThan(0);
    expect(withOpen).toBeLessThan(10);
    expect(hundredLots).toBeLessThanOrEqual(1 + 2 * withOpen);
    expect(fiveLots).toBeLessThanOrEqual(8);
  });
});
