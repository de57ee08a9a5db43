import type { AdminApi } from '../../gateway/registry/admin-api';
import { RequestPipeline } from '../../gateway/pipeline';
import { createIdentityResolver } from '../../gateway/identity';
import { createAdminDoor } from '../../gateway/transports/admin';
import { loadGatewayOptions, type GatewayOptions } from '../../gateway/config';

/** The gateway's defaults (as from an empty environment, city layer off), with test overrides. */
export function gatewayOptions(overrides: Partial<GatewayOptions>): GatewayOptions {
  return { ...loadGatewayOptions({ NODE_ENV: 'test', CITY_AUTH: 'off' }), port: 0, ...overrides };
}

/**
 * The admin door for a registry a test opened itself (outside createGatewayServer), with the
 * gateway's default pipeline and HS256 tokens signed with `jwtSecret`.
 */
export function adminDoor(admin: AdminApi, jwtSecret: string, internalSecret = jwtSecret) {
  const options = gatewayOptions({});
  const pipeline = new RequestPipeline({
    security: { ...options.security, rateLimitMax: 0 },
    inFlight: { maxInFlight: 0, maxQueued: 0 },
    debugErrors: false,
    identity: createIdentityResolver({ cityAuth: true, jwtSecret, internalSecret, hs256Tokens: true, maxTokenLifetimeS: 86_400, trustProxyHops: 0 }),
  });
  return createAdminDoor({ admin, pipeline, bodyLimitBytes: options.bodyLimitBytes, csrfPrevention: true });
}
