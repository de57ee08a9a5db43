import { loadGatewayOptions, type GatewayOptions } from '../../gateway/config';

/** The gateway's defaults (as from an empty environment, city layer off), with test overrides. */
export function gatewayOptions(overrides: Partial<GatewayOptions>): GatewayOptions {
  return { ...loadGatewayOptions({ NODE_ENV: 'test', CITY_AUTH: 'off' }), port: 0, ...overrides };
}
