import { exportSPKI, SignJWT } from 'jose';
import { readViewer } from '../../shared/platform/auth';
import { AUDIENCE, identityOptions, IdentityProbe, withIssuer, withProbe, INTERNAL_SECRET, LocalIssuer, oidcOptions } from './support';

const resident = { sub: 'R-0002', role: 'resident' };
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let issuer: LocalIssuer;
let probe: IdentityProbe;

beforeAll(async () => {
  issuer = await LocalIssuer.start();
  await issuer.addKey('RS256', 'rsa-1');
  await issuer.addKey('ES256', 'ec-1');
  probe = await IdentityProbe.start(identityOptions({ oidc: oidcOptions(issuer) }));
});

afterAll(async () => {
  await probe.close();
  await issuer.close();
});

const refusedWith = (message: RegExp | string) =>
  expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });

describe('tokens of an OIDC issuer', () => {
  it.each(['rsa-1', 'ec-1'])('verifies a token signed with %s against the JWKS and signs the viewer for subgraphs', async (kid) => {
    const answer = await probe.as(await issuer.sign(kid, resident));
    expect(answer.status).toBe(200);
    expect(answer.identity).toMatchObject({
      viewer: { role: 'resident', subject: 'R-0002', residentId: 'R-0002' },
      clientKey: 'sub:resident:R-0002',
    });
    expect(readViewer(answer.identity!.viewerToken, INTERNAL_SECRET)).toEqual(answer.identity!.viewer);
  });

  it('maps staff and community workers with the same claims as HS256 tokens', async () => {
    const staff = await probe.as(await issuer.sign('rsa-1', { sub: 'clerk-7', role: 'staff', dept: 'LH-URBAN', street: '440303003' }));
    expect(staff.identity!.viewer).toEqual({ role: 'staff', subject: 'clerk-7', departmentId: 'LH-URBAN', streetCode: '440303003' });
    expect(await probe.as(await issuer.sign('ec-1', { sub: 'clerk-8', role: 'staff' }))).toEqual(refusedWith(/department/));
    const worker = await probe.as(await issuer.sign('ec-1', { sub: 'w-1', role: 'community_worker', community: '440303003001' }));
    expect(worker.identity!.viewer).toEqual({ role: 'community_worker', subject: 'w-1', communityCode: '440303003001' });
  });

  it.each([
    ['from another issuer', { iss: 'https://evil.example' }, /issuer/],
    ['for another audience', { aud: 'someone-else' }, /audience/],
    ['without exp', { exp: undefined }, 'The token has no expiry'],
    ['that has expired', { iat: now() - 7200, exp: now() - 60 }, /expired/],
    ['valid longer than a day (exp - iat)', { iat: now(), exp: now() + 2 * 86400 }, /longest accepted lifetime is 86400 s/],
    ['valid longer than a day without iat (exp - now)', { iat: undefined, exp: now() + 2 * 86400 }, /longest accepted lifetime/],
    ['hiding a long life behind a future iat', { iat: now() + 30 * 86400, exp: now() + 30 * 86400 + 60 }, /longest accepted lifetime/],
    ['not valid yet', { nbf: now() + 600 }, /not valid yet/],
    ['naming an unknown role', { role: 'mayor' }, /known role/],
  ])('refuses a token %s', async (_label, claims, message) => {
    expect(await probe.as(await issuer.sign('rsa-1', { ...resident, ...claims }))).toEqual(refusedWith(message));
  });

  it('refuses alg none and HS256 signed with the public key', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { ...resident, iss: issuer.url, aud: AUDIENCE, iat: now(), exp: now() + 600 };
    const unsigned = `${b64({ alg: 'none', kid: 'rsa-1' })}.${b64(claims)}.`;
    expect(await probe.as(unsigned)).toEqual(refusedWith(/algorithm is not accepted \(none\)/));
    // The classic confusion: a verifier that takes the key from the kid and the algorithm from the
    // token would check this HMAC with the public key's bytes, which everyone has.
    const pem = await exportSPKI(issuer.key('rsa-1').publicKey);
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode(pem));
    expect(await probe.as(confused)).toEqual(refusedWith('The token is not valid'));
  });

  it('refuses an algorithm the settings do not list', async () => {
    await withProbe(identityOptions({ oidc: oidcOptions(issuer, { algorithms: ['RS256'] }) }), async (rsaOnly) => {
      expect((await rsaOnly.as(await issuer.sign('rsa-1', resident))).status).toBe(200);
      expect(await rsaOnly.as(await issuer.sign('ec-1', resident))).toEqual(refusedWith(/algorithm is not accepted \(ES256\)/));
    });
  });

  it('refuses a token whose signature does not match, and tampered claims', async () => {
    const token = await issuer.sign('rsa-1', resident);
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'root', role: 'admin', iss: issuer.url, aud: AUDIENCE, exp: now() + 600 })).toString('base64url');
    expect(await probe.as(`${h}.${forged}.${s}`)).toEqual(refusedWith('The token is not valid'));
    expect(await probe.as('not.a.token')).toEqual(refusedWith('The token is not valid'));
    expect(await probe.ask({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual(refusedWith(/Bearer <token>/));
  });
});

describe('key rotation', () => {
  it('follows the issuer to a new key, and stops old-key tokens once the key is withdrawn', async () => {
    // The cache ages quickly here, as it would over OIDC_JWKS_MAX_AGE_MS in production.
    await withIssuer([['RS256', 'old']], { jwksMaxAgeMs: 300 }, async (own, gateway) => {
      const remembered = await own.sign('old', resident);
      expect((await gateway.as(remembered)).status).toBe(200);
      expect(own.jwksFetches).toBe(1);

      // Rotation: the issuer publishes a new key and signs with it. Its kid is unknown to the
      // gateway's cached set, so the set is fetched again and the token verifies.
      await own.addKey('ES256', 'new');
      expect((await gateway.as(await own.sign('new', { sub: 'R-0003', role: 'resident' }))).identity!.viewer.subject).toBe('R-0003');
      expect(own.jwksFetches).toBe(2);
      expect((await gateway.as(await own.sign('old', resident))).status).toBe(200);

      // The old key is withdrawn. Once the gateway's set is refreshed, neither a new token of
      // that key nor one it had already verified (and remembered) is accepted.
      own.removeKey('old');
      await sleep(400);
      expect(await gateway.as(await own.sign('old', { sub: 'R-0004', role: 'resident' }))).toEqual(refusedWith(/key the identity provider publishes/));
      expect(own.jwksFetches).toBeGreaterThanOrEqual(3);
      expect(await gateway.as(remembered)).toEqual(refusedWith(/key the identity provider publishes/));
      expect((await gateway.as(await own.sign('new', resident))).status).toBe(200);
    });
  });

  it('refuses an unknown kid, refetching the JWKS at most once per cooldown', async () => {
    await withIssuer([['RS256', 'k1']], { jwksCooldownMs: 60_000 }, async (own, gateway) => {
      await own.addUnpublishedKey('RS256', 'stranger');
      expect((await gateway.as(await own.sign('k1', resident))).status).toBe(200);
      for (let i = 0; i < 5; i++) {
        expect(await gateway.as(await own.sign('stranger', resident))).toEqual(refusedWith(/key the identity provider publishes/));
      }
      // A flood of made-up kids does not turn the gateway into a flood against the issuer.
      expect(own.jwksFetches).toBe(1);
    });
  });

  it('answers 503 when the JWKS cannot be fetched: the token may be fine', async () => {
    const gone = await LocalIssuer.start();
    await gone.addKey('RS256', 'k1');
    const token = await gone.sign('k1', resident);
    const options = oidcOptions(gone);
    await gone.close();
    await withProbe(identityOptions({ oidc: options }), async (gateway) => {
      expect(await gateway.as(token)).toEqual(expect.objectContaining({ status: 503, code: 'SERVICE_UNAVAILABLE' }));
    });
  });
});

describe("an identity provider's role claim", () => {
  it('reads a dotted claim path and maps provider role names to CityGraph roles', async () => {
    const roles = { roleClaim: 'realm_access.roles', roleMap: { 'city-admin': 'admin', 'city-clerk': 'staff' } } as const;
    await withProbe(identityOptions({ oidc: oidcOptions(issuer, roles) }), async (gateway) => {
      const admin = await gateway.as(await issuer.sign('rsa-1', { sub: 'u-1', realm_access: { roles: ['offline_access', 'city-admin'] } }));
      expect(admin.identity!.viewer).toEqual({ role: 'admin', subject: 'u-1' });
      // Without a mapping entry a CityGraph role name in the claim means nothing.
      expect(await gateway.as(await issuer.sign('rsa-1', { sub: 'u-2', realm_access: { roles: ['admin'] } }))).toEqual(refusedWith(/known role/));
      expect(await gateway.as(await issuer.sign('rsa-1', { sub: 'u-3', realm_access: { roles: ['constructor', '__proto__'] } }))).toEqual(refusedWith(/known role/));
      expect(
        await gateway.as(await issuer.sign('rsa-1', { sub: 'u-4', dept: 'LH-URBAN', realm_access: { roles: ['city-admin', 'city-clerk'] } })),
      ).toEqual(refusedWith(/more than one CityGraph role \(admin, staff\)/));
      expect(await gateway.as(await issuer.sign('rsa-1', { sub: 'u-5', role: 'admin' }))).toEqual(refusedWith(/known role/));
    });
  });
});
