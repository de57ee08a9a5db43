import { loadIdentityOptions } from '../../gateway/identity';
import { DEVELOPMENT_INTERNAL_SECRET, DEVELOPMENT_JWT_SECRET, loadCityConfig } from '../../shared/platform/config';

const SECRETS = { JWT_SECRET: 'a-production-jwt-secret-0123456789abcdef', INTERNAL_SECRET: 'a-production-internal-secret-0123456789ab' };

describe('loadIdentityOptions', () => {
  it('defaults: HS256 with the development secrets, a day at most, no provider', () => {
    expect(loadIdentityOptions({}, { production: false })).toEqual({
      cityAuth: true,
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      hs256Tokens: true,
      internalSecret: DEVELOPMENT_INTERNAL_SECRET,
      oidc: undefined,
      maxTokenLifetimeS: 86400,
    });
  });

  it('reads an identity provider', () => {
    const options = loadIdentityOptions(
      {
        ...SECRETS,
        OIDC_ISSUER: 'https://id.example.org/realms/city',
        OIDC_AUDIENCE: 'citygraph, citygraph-mobile',
        OIDC_JWKS_URL: 'https://id.example.org/realms/city/protocol/openid-connect/certs',
        OIDC_ALGORITHMS: 'ES256',
        OIDC_ROLE_CLAIM: 'realm_access.roles',
        OIDC_ROLE_MAP: 'city-clerk=staff, city-admin=admin',
        HS256_TOKENS: 'off',
        TOKEN_MAX_LIFETIME_S: '3600',
      },
      { production: true },
    );
    expect(options).toMatchObject({
      hs256Tokens: false,
      maxTokenLifetimeS: 3600,
      oidc: {
        issuer: 'https://id.example.org/realms/city',
        audience: ['citygraph', 'citygraph-mobile'],
        algorithms: ['ES256'],
        roleClaim: 'realm_access.roles',
        roleMap: { 'city-clerk': 'staff', 'city-admin': 'admin' },
        jwksCooldownMs: 30000,
        jwksMaxAgeMs: 600000,
        jwksTimeoutMs: 5000,
      },
    });
  });

  it('names every bad variable at once', () => {
    const load = () =>
      loadIdentityOptions(
        { JWT_SECRET: DEVELOPMENT_JWT_SECRET, OIDC_ISSUER: 'http://id.example.org', OIDC_ALGORITHMS: 'HS256', OIDC_ROLE_MAP: 'x=mayor', TOKEN_MAX_LIFETIME_S: '5' },
        { production: true },
      );
    expect(load).toThrow(/JWT_SECRET: is a published development secret/);
    expect(load).toThrow(/INTERNAL_SECRET: required when NODE_ENV=production/);
    expect(load).toThrow(/OIDC_AUDIENCE: required with OIDC_ISSUER/);
    expect(load).toThrow(/OIDC_JWKS_URL: required with OIDC_ISSUER/);
    expect(load).toThrow(/OIDC_ISSUER: must be an https:\/\/ URL/);
    expect(load).toThrow(/OIDC_ALGORITHMS/);
    expect(load).toThrow(/OIDC_ROLE_MAP/);
    expect(load).toThrow(/TOKEN_MAX_LIFETIME_S/);
  });
});

describe('loadCityConfig in production', () => {
  it('refuses the published development secrets set explicitly, naming both', () => {
    const load = () => loadCityConfig({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET, INTERNAL_SECRET: DEVELOPMENT_INTERNAL_SECRET });
    expect(load).toThrow(/JWT_SECRET: is a published development secret[\s\S]*INTERNAL_SECRET: is a published development secret/);
    // Swapped is no better: both are in this repository.
    expect(() => loadCityConfig({ NODE_ENV: 'production', ...SECRETS, INTERNAL_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/INTERNAL_SECRET: is a published/);
  });

  it('names a malformed secret and a missing one in one message', () => {
    expect(() => loadCityConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET: must be at least 32 characters\n {2}INTERNAL_SECRET: required when NODE_ENV=production/,
    );
  });

  it('accepts secrets of its own, and the defaults outside production', () => {
    expect(loadCityConfig({ NODE_ENV: 'production', ...SECRETS })).toMatchObject({ jwtSecret: SECRETS.JWT_SECRET, internalSecret: SECRETS.INTERNAL_SECRET });
    expect(loadCityConfig({ NODE_ENV: 'development' })).toMatchObject({ jwtSecret: DEVELOPMENT_JWT_SECRET });
  });
});
