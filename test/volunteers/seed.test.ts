import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/volunteers/models';
import { seed } from '../../subgraphs/volunteers/seed';
import { residentViewer, type RunningSubgraph } from '../support/subgraph';
import { NOW, startVolunteers } from './helpers';

let sg: RunningSubgraph;
afterAll(() => sg?.stop());

async function counts(models: ReturnType<typeof createModels>) {
  return Object.fromEntries(await Promise.all(Object.entries(models).map(async ([name, m]) => [name, await (m as typeof models.Team).countDocuments()])));
}

it('seeds the demo idempotently, fresh relative to now', async () => {
  ({ sg } = await startVolunteers('vol_seed'));
  const models = createModels(sg.db.conn);
  const progress: number[] = [];
  await seed(sg.db, { now: NOW, onProgress: (done) => progress.push(done) });
  const first = await counts(models);
  const later = new Date(NOW.getTime() + 3 * 24 * 3600 * 1000);
  await seed(sg.db, { now: later });
  expect(await counts(models)).toEqual(first);
  expect(progress.at(-1)).toBeGreaterThan(1);
  expect(first.Team).toBe(11);
  sg.setNow(later);

  const res = await sg.query(
    `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Resident { volunteerProfile { verifiedHours starLevel hoursToNextStar teams { kind } } }
      ... on Community { volunteerStations { id name } volunteerHoursThisMonth volunteerActivities { startsAt fillRate waitlisted } }
    } }`,
    { r: [{ __typename: 'Resident', id: DEMO_RESIDENT_ID }, { __typename: 'Community', code: SHUIBEI }] },
    residentViewer(DEMO_RESIDENT_ID),
  );
  expect(res.errors).toBeUndefined();
  const [demo, shuibei] = res.data._entities;
  expect(demo.volunteerProfile).toEqual({ verifiedHours: 236.5, starLevel: 1, hoursToNextStar: 63.5, teams: [{ kind: 'RIVER_PATROL' }] });
  expect(shuibei.volunteerStations.map((s: { name: string }) => s.name)).toContain('水贝社区志愿服务U站');
  expect(shuibei.volunteerHoursThisMonth).toBeGreaterThan(0);
  expect(shuibei.volunteerActivities.length).toBeGreaterThan(0);
  for (const a of shuibei.volunteerActivities) expect(new Date(a.startsAt).getTime()).toBeGreaterThan(later.getTime() - 24 * 3600 * 1000);
  expect(shuibei.volunteerActivities.some((a: { waitlisted: number; fillRate: number }) => a.waitlisted > 0 && a.fillRate === 1)).toBe(true);

  const teams = await sg.query('{ volunteerTeams { kind registeredVolunteers servicesCount patrols hoursCredited } }');
  const bees = teams.data.volunteerTeams.filter((t: { kind: string }) => t.kind === 'DELIVERY_RIDERS');
  expect(bees).toHaveLength(5);
  expect(bees.reduce((n: number, t: { registeredVolunteers: number }) => n + t.registeredVolunteers, 0)).toBeGreaterThan(300);
  const beeServices = bees.reduce((n: number, t: { servicesCount: number }) => n + t.servicesCount, 0);
  expect(beeServices).toBeGreaterThan(900);
  expect(beeServices).toBeLessThan(1000);
  expect(teams.data.volunteerTeams.some((t: { kind: string }) => t.kind === 'EPIDEMIC_CONTROL')).toBe(true);
});
