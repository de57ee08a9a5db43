import { randomBytes } from 'node:crypto';
import type { Viewer } from '../../shared/platform/auth';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/requests/server';
import { seed, seedReference } from '../../subgraphs/requests/seed';

/** Friday 2026-11-20 10:00 in Shenzhen: the fixed "now" of the requests tests. */
export const FRIDAY_10 = new Date('2026-11-20T02:00:00Z');

/**
 * The requests subgraph on a fresh database with its clock fixed at `now`: seeded with the whole
 * demo, or with the reference data only (`history: false`), which keeps FerretDB's scans small.
 */
export async function startRequests(label: string, { now = FRIDAY_10, history = true }: { now?: Date; history?: boolean } = {}): Promise<RunningSubgraph> {
  const sg = await startSubgraph(label, createSubgraph, { now });
  if (history) await seed(sg.db, { now });
  else await seedReference(sg.db);
  return sg;
}

export const REQUEST_FIELDS = `
  id number title status level levelColor channel extended overdue timeLeftSeconds
  submittedAt dispatchDueAt dispatchedAt reviewDueAt acceptDueAt acceptedAt nextUpdateDueAt dueAt currentDeadline resolvedAt closedAt
  category { code name } item { code name } department { id name } community { code name }
  parkingLot { id } parent { id } urgeCount escalated resolvedOnTime
  evaluation { rating comment }
  timeline { action status actor role note fromDepartment { id } toDepartment { id } }
`;

export const SUBMIT = `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { ${REQUEST_FIELDS} } }`;

/** Sends an operation and fails the test with the errors when there are any. */
export async function ok<T = any>(sg: RunningSubgraph, query: string, variables: Record<string, unknown>, viewer?: Viewer): Promise<T> {
  const res = await sg.query<T>(query, variables, viewer);
  if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

/** Sends an operation expected to fail and returns its first error. */
export async function fails(sg: RunningSubgraph, query: string, variables: Record<string, unknown>, viewer?: Viewer) {
  const res = await sg.query(query, variables, viewer);
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors![0];
}

/**
 * A description of its own for a test submission: identical texts about one community and item
 * within 72 hours are linked as duplicates at submission (issue 14), so tests that need several
 * independent requests make each one a different matter.
 */
export const distinct = (description: string) => `${description}（事项 ${randomBytes(12).toString('hex')}）`;
