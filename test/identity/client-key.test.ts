import { signUserToken } from '../../shared/platform/auth';
import { identityOptions, withProbe, JWT_SECRET } from './support';

const token = signUserToken({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' }, JWT_SECRET);

describe('client keys', () => {
  it('is the verified subject with a token, the socket address without', async () => {
    await withProbe(identityOptions(), async (probe) => {
      expect((await probe.as(token)).identity!.clientKey).toBe('sub:staff:staff-LH-URBAN');
      expect((await probe.ask()).identity!.clientKey).toBe('ip:127.0.0.1');
      // With no trusted proxy, the client cannot name itself.
      expect((await probe.ask({ 'x-forwarded-for': '203.0.113.9' })).identity!.clientKey).toBe('ip:127.0.0.1');
    });
  });

  it('takes the address the trusted proxies appended to X-Forwarded-For (TRUST_PROXY_HOPS)', async () => {
    // The client wrote 6.6.6.6 itself; the proxy appended the address it saw.
    const header = { 'x-forwarded-for': '6.6.6.6, 198.51.100.7' };
    await withProbe(identityOptions({ trustProxyHops: 1 }), async (one) => {
      expect((await one.ask(header)).identity!.clientKey).toBe('ip:198.51.100.7');
      expect((await one.ask()).identity!.clientKey).toBe('ip:127.0.0.1');
      // A verified token still names the client, whatever the proxies say.
      expect((await one.as(token, header)).identity!.clientKey).toBe('sub:staff:staff-LH-URBAN');
    });
    await withProbe(identityOptions({ trustProxyHops: 2 }), async (two) => {
      expect((await two.ask({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.2' })).identity!.clientKey).toBe('ip:198.51.100.7');
      // Fewer entries than proxies: the request came in past the outer one.
      expect((await two.ask({ 'x-forwarded-for': '198.51.100.8' })).identity!.clientKey).toBe('ip:198.51.100.8');
    });
  });

  it('with the city layer off, everyone is an anonymous IP address and nothing is signed', async () => {
    await withProbe(identityOptions({ cityAuth: false }), async (plain) => {
      const answer = await plain.as(token);
      expect(answer.identity!.viewer).toEqual({ role: 'anonymous' });
      expect(answer.identity!.viewerToken).toBeUndefined();
      expect(answer.identity!.clientKey).toBe('ip:127.0.0.1');
      expect((await plain.as('garbage')).status).toBe(200);
    });
  });

  it('uses the authorization it is given (a connection_init), not the upgrade request header', async () => {
    await withProbe(identityOptions(), async (probe) => {
      const answer = await probe.ask({ 'x-connection-init-authorization': `Bearer ${token}`, authorization: 'Bearer not.a.token' });
      expect(answer.identity!.clientKey).toBe('sub:staff:staff-LH-URBAN');
    });
  });
});

describe('request ids', () => {
  it('keeps a well-formed X-Request-Id and makes one otherwise', async () => {
    await withProbe(identityOptions(), async (probe) => {
      expect((await probe.ask({ 'x-request-id': 'abc-123' })).identity!.requestId).toBe('abc-123');
      const made = (await probe.ask({ 'x-request-id': 'no spaces or <tags> allowed' })).identity!.requestId;
      expect(made).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
