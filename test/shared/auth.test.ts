import jwt from 'jsonwebtoken';
import { readViewer, signUserToken, signViewer, verifyUserToken, type Viewer } from '../../shared/platform/auth';

const secret = 'a-test-secret-that-is-long-enough-123456';
const other = 'another-secret-that-is-long-enough-654321';
const resident: Viewer = { role: 'resident', subject: 'R-1', residentId: 'R-1' };

describe('person tokens', () => {
  it('round-trips each role', () => {
    expect(verifyUserToken(signUserToken(resident, secret), secret)).toEqual(resident);
    const staff: Viewer = { role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN', streetCode: '440303003' };
    expect(verifyUserToken(signUserToken(staff, secret), secret)).toEqual(staff);
    expect(verifyUserToken(signUserToken({ role: 'admin', subject: 'root' }, secret), secret)).toEqual({ role: 'admin', subject: 'root' });
  });

  it.each([
    ['signed with another key', () => signUserToken(resident, other)],
    ['expired', () => jwt.sign({ sub: 'R-1', role: 'resident', exp: Math.floor(Date.now() / 1000) - 10 }, secret, { audience: 'citygraph' })],
    ['unsigned (alg none)', () => jwt.sign({ sub: 'R-1', role: 'admin' }, '', { algorithm: 'none', audience: 'citygraph' })],
    ['of an unknown role', () => jwt.sign({ sub: 'x', role: 'mayor' }, secret, { audience: 'citygraph' })],
    ['a staff token without a department', () => jwt.sign({ sub: 'x', role: 'staff' }, secret, { audience: 'citygraph' })],
    ['garbage', () => 'not.a.token'],
  ])('refuses a token %s as UNAUTHENTICATED', (_label, make) => {
    expect(() => verifyUserToken(make(), secret)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});

describe('gateway-signed viewers', () => {
  it('reads what the gateway signed and treats no header as anonymous', () => {
    expect(readViewer(signViewer(resident, secret), secret)).toEqual(resident);
    expect(readViewer(undefined, secret)).toEqual({ role: 'anonymous' });
    expect(readViewer(signViewer({ role: 'anonymous' }, secret), secret)).toEqual({ role: 'anonymous' });
  });

  it('refuses forged viewers and person tokens passed off as viewers', () => {
    expect(() => readViewer(signViewer({ role: 'admin', subject: 'me' }, other), secret)).toThrow(/not signed by the gateway/);
    expect(() => readViewer(signUserToken(resident, secret), secret)).toThrow(/not signed by the gateway/);
  });
});
