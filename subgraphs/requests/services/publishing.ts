import type { Context } from '../context';
import { publishRequestChange } from '../events';
import type { RequestDoc } from '../models';
import type { RequestsService } from './deps';
import { submitRequest, type SubmitInput } from './submit';

/**
 * The mutations' service entry points: each runs the write, then publishes the change (after the
 * write, never failing it). Resolvers call these and never publish themselves.
 */
export async function runStep<TInput>(ctx: Context, step: (ctx: RequestsService, input: TInput) => Promise<RequestDoc>, input: TInput): Promise<RequestDoc> {
  const now = ctx.clock();
  // The step and its announcement read the same time, as one moment of the request's history.
  const request = await step({ ...ctx, clock: () => now }, input);
  await publishRequestChange(ctx.models, ctx.pubsub, request, now);
  return request;
}

export async function submitAndPublish(ctx: Context, input: SubmitInput) {
  const now = ctx.clock();
  const result = await submitRequest({ ...ctx, clock: () => now }, input);
  if (result.created) await publishRequestChange(ctx.models, ctx.pubsub, result.request, now);
  return result;
}
