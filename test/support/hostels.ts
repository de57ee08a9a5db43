import { addDays, localDateString } from '../../shared/subgraph/time';
import type { RunningGraph } from './graph';

/** The Shenzhen calendar day `offsetDays` from today, as YYYY-MM-DD (a check-in date, a graduation date). */
export function shenzhenDate(offsetDays = 0): string {
  return localDateString(addDays(new Date(), offsetDays));
}

/** The signed-in resident's hostel stays that are reserved or checked in. */
export async function activeStays(graph: RunningGraph, token: string): Promise<Array<{ id: string; status: string }>> {
  const stays = (await graph.query('{ me { hostelStays { id status } } }', {}, token)).data.me.hostelStays as Array<{ id: string; status: string }>;
  return stays.filter((s) => s.status === 'RESERVED' || s.status === 'CHECKED_IN');
}

/** Cancels the resident's active stays (a seeded reservation), so a new application starts from none. */
export async function cancelActiveStays(graph: RunningGraph, token: string): Promise<void> {
  for (const s of await activeStays(graph, token)) {
    expect((await graph.query('mutation($id: ID!) { cancelHostelStay(id: $id) { status } }', { id: s.id }, token)).errors).toBeUndefined();
  }
}
