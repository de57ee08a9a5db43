import type { Context } from '../context';
import { publishRequestChange } from '../events';
import type { RequestDoc } from '../models';
import type { Actor } from './lifecycle';
import { submitRequest, type SubmitInput } from './submit';

/**
 * The mutations' service entry points: each runs the write, then publishes the change (after the
 * write, never failing it). Resolvers call these and never publish themselves.
 */
export async function runStep(ctx: Context, run: (actor: Actor) => Promise<RequestDoc>): Promise<RequestDoc> {
  const now = ctx.clock();
  const request = await run({ viewer: ctx.viewer, now });
  await publishRequestChange(ctx.models, ctx.pubsub, request, now);
  return request;
}

export async function submitAndPublish(ctx: Context, input: SubmitInput) {
  const now = ctx.clock();
  const result = await submitRequest(ctx.models, ctx.viewer, input, now, ctx.references);
  if (result.created) await publishRequestChange(ctx.models, ctx.pubsub, result.request, now);
  return result;
}
