import jwt from 'jsonwebtoken';
import { signUserToken, verifyUserToken, viewerFromClaims } from '../../shared/platform/auth';
import { runScript } from '../support/script';

/** The lot_owner role: its `lots` claim binds the account to its lots (issue 14). */
describe('lot owner tokens', () => {
  const secret = 'test-secret-for-lot-owner-tokens';

  it('carry the lots they name through sign and verify', () => {
    const token = signUserToken({ role: 'lot_owner', subject: 'owner-1', lotIds: ['PL-DX-02', 'PL-DX-03'] }, secret);
    expect(verifyUserToken(token, secret)).toEqual({ role: 'lot_owner', subject: 'owner-1', lotIds: ['PL-DX-02', 'PL-DX-03'] });
  });

  it('are refused without lots, with an empty list, or with something that is not a lot id', () => {
    for (const lots of [undefined, [], ['PL-DX-02', 'not-a-lot'], 'PL-DX-02', [42]]) {
      expect(() => viewerFromClaims({ sub: 'owner-1', role: 'lot_owner', lots })).toThrow(/must name its parking lots/);
    }
    expect(() => viewerFromClaims({ sub: 'owner-1', role: 'lot_owner', lots: Array.from({ length: 101 }, (_, i) => `PL-DX-${String(i).padStart(2, '0')}`) })).toThrow();
  });

  it('`npm run token -- lot-owner` prints one the graph reads', async () => {
    const run = await runScript('scripts/token.ts', ['lot-owner', 'PL-DX-02,PL-DX-03'], { PATH: process.env.PATH, JWT_SECRET: secret });
    expect(run.code).toBe(0);
    const claims = jwt.decode(run.stdout.trim()) as Record<string, unknown>;
    expect(claims).toMatchObject({ role: 'lot_owner', sub: 'owner-PL-DX-02,PL-DX-03', lots: ['PL-DX-02', 'PL-DX-03'] });
    expect(verifyUserToken(run.stdout.trim(), secret).lotIds).toEqual(['PL-DX-02', 'PL-DX-03']);
  });
});
