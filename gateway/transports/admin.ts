import type { AdminApi } from '../registry/admin-api';
import { adminRefusal } from '../registry/admin-api';
import { Refusal, type RequestPipeline } from '../pipeline';
import { createHttpDoor } from './http';

export interface AdminDoorOptions {
  admin: AdminApi;
  pipeline: RequestPipeline;
  bodyLimitBytes: number;
  csrfPrevention: boolean;
}

/**
 * `/admin/graphql`: the registry's admin API through the same pipeline as every other door
 * (size, identity, parse, limits, rate limit, validation, one error formatter), for admins only.
 * The trusted-operations list is the city apps' and does not apply here.
 */
export function createAdminDoor(options: AdminDoorOptions) {
  return createHttpDoor({
    pipeline: options.pipeline,
    bodyLimitBytes: options.bodyLimitBytes,
    csrfPrevention: options.csrfPrevention,
    batchMax: 0,
    door: { transport: 'admin', schema: () => options.admin.schema, trusted: false, subscriptions: false },
    authorize: (who) => {
      const refused = adminRefusal(who.viewer);
      return refused ? Refusal.from(refused) : undefined;
    },
    apollo: options.admin.apollo,
    context: (who) => ({ viewer: who.viewer }),
  });
}
