import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { GraphQLError } from 'graphql';
import { createIdentityResolver, type Identity, type IdentityOptions, type IdentityResolver, type OidcOptions } from '../../gateway/identity';

export const JWT_SECRET = 'identity-test-jwt-secret-0123456789abcdef';
export const INTERNAL_SECRET = 'identity-test-internal-secret-0123456789ab';
export const AUDIENCE = 'citygraph-api';

interface IssuerKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

/**
 * A real OpenID Connect issuer as far as the gateway can tell: key pairs made with jose and a JWKS
 * served over HTTP on a free port. Keys can be added and removed (rotation), and it counts how
 * often its JWKS was fetched.
 */
export class LocalIssuer {
  private readonly keys: IssuerKey[] = [];
  /** Keys that sign but are not published (tokens of an unknown kid). */
  private readonly unpublished = new Map<string, IssuerKey>();
  jwksFetches = 0;
  url = '';

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LocalIssuer> {
    let issuer!: LocalIssuer;
    const server = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      issuer.jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: issuer.keys.map((k) => k.jwk) }));
    });
    issuer = new LocalIssuer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return issuer;
  }

  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  private async makeKey(alg: 'RS256' | 'ES256', kid: string): Promise<IssuerKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    return { kid, alg, privateKey, publicKey, jwk };
  }

  /** Publishes a new signing key. */
  async addKey(alg: 'RS256' | 'ES256', kid: string): Promise<void> {
    this.keys.push(await this.makeKey(alg, kid));
  }

  /** A key that signs tokens but that the JWKS never lists. */
  async addUnpublishedKey(alg: 'RS256' | 'ES256', kid: string): Promise<void> {
    this.unpublished.set(kid, await this.makeKey(alg, kid));
  }

  /** Stops publishing a key (it keeps signing, as a leaked or retired key would). */
  removeKey(kid: string): void {
    const at = this.keys.findIndex((k) => k.kid === kid);
    const [key] = this.keys.splice(at, 1);
    this.unpublished.set(kid, key);
  }

  key(kid: string): IssuerKey {
    const key = this.keys.find((k) => k.kid === kid) ?? this.unpublished.get(kid);
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  }

  /**
   * A token signed with key `kid`: iss, aud, iat now and exp in an hour unless `claims` says
   * otherwise (`exp: undefined` leaves exp out).
   */
  async sign(kid: string, claims: JWTPayload & Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    const key = this.key(kid);
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = { iss: this.url, aud: AUDIENCE, iat: now, exp: now + 3600, ...claims };
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid, ...header }).sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The settings of a gateway that trusts `issuer`, with short JWKS timings so tests see refetches. */
export function oidcOptions(issuer: LocalIssuer, overrides: Partial<OidcOptions> = {}): OidcOptions {
  return {
    issuer: issuer.url,
    audience: [AUDIENCE],
    jwksUrl: issuer.jwksUrl,
    algorithms: ['RS256', 'ES256'],
    roleClaim: 'role',
    roleMap: {},
    jwksCooldownMs: 0,
    jwksMaxAgeMs: 600_000,
    jwksTimeoutMs: 2000,
    ...overrides,
  };
}

export function identityOptions(overrides: Partial<IdentityOptions> = {}): IdentityOptions {
  return {
    cityAuth: true,
    jwtSecret: JWT_SECRET,
    hs256Tokens: true,
    internalSecret: INTERNAL_SECRET,
    maxTokenLifetimeS: 86400,
    trustProxyHops: 0,
    ...overrides,
  };
}

export type Answer = { status: number; identity?: Identity; code?: string; message?: string };

/**
 * An HTTP server that answers each request with the identity the resolver works out from its real
 * IncomingMessage (socket address, X-Forwarded-For, Authorization), or the refusal's status and
 * code, so client keys are tested against real connections.
 */
export class IdentityProbe {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly resolver: IdentityResolver,
  ) {}

  static async start(options: IdentityOptions): Promise<IdentityProbe> {
    const resolver = createIdentityResolver(options);
    const server = createServer((req: IncomingMessage, res) => {
      const authorization = (req.headers['x-connection-init-authorization'] as string | undefined) ?? req.headers.authorization;
      resolver.resolve({ authorization, req }).then(
        (identity) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ identity })),
        (err: unknown) => {
          const e = err as GraphQLError;
          const status = (e.extensions?.http as { status?: number } | undefined)?.status ?? 500;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code: e.extensions?.code, message: e.message }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new IdentityProbe(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, resolver);
  }

  async ask(headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(this.url, { headers });
    const body = (await res.json()) as Omit<Answer, 'status'>;
    return { status: res.status, ...body };
  }

  /** Asks with `Authorization: Bearer <token>`. */
  as(token: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.ask({ authorization: `Bearer ${token}`, ...headers });
  }

  async close(): Promise<void> {
    await this.resolver.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Runs `use` against a probe of `options`, closed afterwards whether or not `use` passed. */
export async function withProbe<T>(options: IdentityOptions, use: (probe: IdentityProbe) => Promise<T>): Promise<T> {
  const probe = await IdentityProbe.start(options);
  try {
    return await use(probe);
  } finally {
    await probe.close();
  }
}

/** Runs `use` with an issuer of its own publishing `keys`, and a probe trusting it with `oidc` settings. */
export async function withIssuer<T>(
  keys: Array<['RS256' | 'ES256', string]>,
  oidc: Partial<OidcOptions>,
  use: (issuer: LocalIssuer, probe: IdentityProbe) => Promise<T>,
): Promise<T> {
  const issuer = await LocalIssuer.start();
  try {
    for (const [alg, kid] of keys) await issuer.addKey(alg, kid);
    return await withProbe(identityOptions({ oidc: oidcOptions(issuer, oidc) }), (probe) => use(issuer, probe));
  } finally {
    await issuer.close();
  }
}
