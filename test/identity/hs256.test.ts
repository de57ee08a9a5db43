import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { ROOT_DIR } from '../../shared/platform/schema';
import { readViewer, signUserToken, type Viewer } from '../../shared/platform/auth';
import { identityOptions, IdentityProbe, withProbe, INTERNAL_SECRET, JWT_SECRET } from './support';

const resident: Viewer = { role: 'resident', subject: 'R-1', residentId: 'R-1' };
const refusedWith = (message: RegExp | string) =>
  expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });

let probe: IdentityProbe;
beforeAll(async () => {
  probe = await IdentityProbe.start(identityOptions());
});
afterAll(() => probe.close());

describe('HS256 tokens (JWT_SECRET)', () => {
  it('verifies what signUserToken (npm run token) issues, for each role', async () => {
    const staff: Viewer = { role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN', streetCode: '440303003' };
    for (const viewer of [resident, staff, { role: 'admin', subject: 'root' } as Viewer]) {
      const answer = await probe.as(signUserToken(viewer, JWT_SECRET));
      expect(answer.identity!.viewer).toEqual(viewer);
      expect(readViewer(answer.identity!.viewerToken, INTERNAL_SECRET)).toEqual(viewer);
    }
  });

  it('treats no Authorization as anonymous, still signed for the subgraphs', async () => {
    const answer = await probe.ask();
    expect(answer.identity).toMatchObject({ viewer: { role: 'anonymous' }, clientKey: 'ip:127.0.0.1' });
    expect(readViewer(answer.identity!.viewerToken, INTERNAL_SECRET)).toEqual({ role: 'anonymous' });
  });

  it.each([
    ['signed with another secret', () => signUserToken(resident, 'another-secret-that-is-long-enough-654321'), 'The token is not valid'],
    ['without exp', () => jwt.sign({ sub: 'R-1', role: 'resident' }, JWT_SECRET, { audience: 'citygraph' }), 'The token has no expiry'],
    ['that has expired', () => jwt.sign({ sub: 'R-1', role: 'resident', exp: Math.floor(Date.now() / 1000) - 10 }, JWT_SECRET, { audience: 'citygraph' }), /expired/],
    ['valid for two days', () => signUserToken(resident, JWT_SECRET, 2 * 86400), /valid for 172800 s; the longest accepted lifetime is 86400 s/],
    ['for another audience', () => jwt.sign({ sub: 'R-1', role: 'resident' }, JWT_SECRET, { audience: 'citygraph-subgraphs', expiresIn: 60 }), /audience/],
    ['unsigned (alg none)', () => jwt.sign({ sub: 'R-1', role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none', audience: 'citygraph' }), /not accepted \(none\)/],
    ['of a gateway-signed viewer', () => jwt.sign({ sub: 'R-1', role: 'admin' }, INTERNAL_SECRET, { audience: 'citygraph-subgraphs', expiresIn: 60 }), 'The token is not valid'],
  ])('refuses a token %s', async (_label, make, message) => {
    expect(await probe.as(make())).toEqual(refusedWith(message));
  });

  it('accepts what `npm run token` prints, which keeps within TOKEN_MAX_LIFETIME_S', async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)('npx', ['tsx', 'scripts/token.ts', ...args], { cwd: ROOT_DIR, env: { ...process.env, NODE_ENV: 'development', JWT_SECRET, ...env } });
    const { stdout } = await run(['staff', 'LH-URBAN']);
    expect((await probe.as(stdout.trim())).identity!.viewer).toEqual({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' });
    await expect(run(['admin', '--hours', '25'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/up to 24 \(TOKEN_MAX_LIFETIME_S\)/) });
  });

  it('honours a shorter TOKEN_MAX_LIFETIME_S', async () => {
    await withProbe(identityOptions({ maxTokenLifetimeS: 3600 }), async (strict) => {
      expect((await strict.as(signUserToken(resident, JWT_SECRET, 3600))).status).toBe(200);
      expect(await strict.as(signUserToken(resident, JWT_SECRET, 3601))).toEqual(refusedWith(/longest accepted lifetime is 3600 s/));
    });
  });

  it('refuses every HS256 token with HS256_TOKENS=off', async () => {
    await withProbe(identityOptions({ hs256Tokens: false }), async (off) => {
      expect(await off.as(signUserToken(resident, JWT_SECRET))).toEqual(refusedWith(/algorithm is not accepted \(HS256\)/));
    });
  });
});

describe('remembered tokens', () => {
  it('reuses a verified token until its own exp, then refuses it as expired', async () => {
    let clock = Date.now();
    const token = signUserToken(resident, JWT_SECRET, 120);
    await withProbe(identityOptions({ now: () => clock }), async (timed) => {
      expect((await timed.as(token)).identity!.viewer).toEqual(resident);
      clock += 119_000;
      expect((await timed.as(token)).identity!.viewer).toEqual(resident);
      clock += 2_000;
      expect(await timed.as(token)).toEqual(refusedWith('The token has expired'));
    });
  });

  it('reuses the viewer signed for the subgraphs within a minute, then signs again', async () => {
    let clock = Date.now();
    const token = signUserToken(resident, JWT_SECRET);
    await withProbe(identityOptions({ now: () => clock }), async (timed) => {
      const first = (await timed.as(token)).identity!.viewerToken;
      // Signed a second later, a new signature would carry another iat: equal means reused.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await timed.as(token)).identity!.viewerToken).toBe(first);
      clock += 61_000;
      const renewed = (await timed.as(token)).identity!.viewerToken;
      expect(renewed).not.toBe(first);
      expect(readViewer(renewed, INTERNAL_SECRET)).toEqual(resident);
    });
  });
});
