import type { RequestsService } from './deps';
import { superviseDeadlines } from './deadline-alerts';

/**
 * Automatic supervision of the handling deadline alone: an urge from the day after the deadline,
 * the street office's escalation once 5 working days late, the district's 5 more later. One
 * mechanism with the other limits (`superviseDeadlines`, services/deadline-alerts.ts): each is an
 * alert claimed once, so however many replicas run this each happens once per handling round.
 * Returns how many alerts this call raised.
 */
export async function superviseOverdue(ctx: RequestsService): Promise<number> {
  return superviseDeadlines(ctx, { kinds: ['HANDLING'] });
}
