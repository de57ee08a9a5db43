import { conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { reviewedDeadlines } from '../domain/deadlines';
import type { Level } from '../domain/grading';
import { isOpen } from '../domain/lifecycle';
import { canDispatch } from '../domain/permissions';
import type { RequestDoc } from '../models';
import type { RequestsService } from './deps';
import { actorOf } from './lifecycle';
import { applyStep } from './steps';

const LEVEL_NAMES: Record<Level, string> = { 1: '一级（红）', 2: '二级（黄）', 3: '三级（绿）' };

/**
 * The level-1 review (审核): the street office of the request's street (which triages and
 * dispatches it) or an admin confirms the grading or corrects it to level 2 or 3, once, while the
 * case is open. A corrected level takes that level's acceptance and update limits.
 */
export async function reviewRequest(ctx: RequestsService, input: { id: string; level: number; note?: string | null }): Promise<RequestDoc> {
  const { id, level: levelRaw, note: noteRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const _id = validate.objectId('id', id);
  const level = validate.intInRange('level', levelRaw, 1, 3) as Level;
  const note = validate.optionalText('note', noteRaw, { max: 500, multiline: true }) ?? null;
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await models.Request.findById(_id).lean<RequestDoc>();
  if (!doc) throw notFound('Request', id);
  if (!canDispatch(actor.viewer, doc)) throw forbidden("Only admins and the request's street office review a level-1 case");
  const updated = await applyStep(
    models,
    doc,
    (d) => {
      if (d.level !== 1 || !d.reviewDueAt) throw conflict('Only level-1 cases are reviewed', { status: d.status, action: 'review' });
      if (d.reviewedAt) throw conflict('The case has already been reviewed', { status: d.status, action: 'review' });
      if (!isOpen(d.status)) throw conflict(`Cannot review a request that is ${d.status}`, { status: d.status, action: 'review' });
      const verdict = level === 1 ? '审核确认：一级' : `审核更正：一级改为${LEVEL_NAMES[level]}`;
      return {
        set: { reviewedAt: actor.now, reviewedBy: actor.viewer.subject ?? actor.viewer.role, ...(level === 1 ? {} : { level, ...reviewedDeadlines(d.dispatchedAt, level) }) },
        events: [
          { at: actor.now, action: 'REVIEWED', actor: actor.viewer.subject ?? actor.viewer.role, role: actor.viewer.role, status: d.status, note: note ? `${verdict}；${note}` : verdict, fromDepartmentId: null, toDepartmentId: null },
        ],
      };
    },
    actor.now,
  );
  return updated!;
}
