import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { requireRole, type Viewer } from '../../shared/platform/auth';
import { badInput, classifyError, unauthenticated } from '../../shared/platform/errors';
import type { ChangeResult, RegistryService } from './service';
import type { AppManifestDoc, CheckDoc, LaunchDoc, OperationDoc, SubgraphVersionDoc } from './store';

export const adminTypeDefs = /* GraphQL */ `
  "ISO-8601 date and time."
  scalar DateTime

  "One published SDL of one subgraph. Ids read subgraph@n."
  type SubgraphVersion {
    id: ID!
    subgraph: String!
    sdl: String!
    routingUrl: String!
    author: String!
    message: String!
    hash: String!
    createdAt: DateTime!
  }

  "A subgraph of the current launch with its live version."
  type RegistrySubgraph {
    name: String!
    routingUrl: String!
    "Where gateways actually send its fetches: the routing URL after overrides (SUBGRAPH_<NAME>_URL)."
    routingUrlInUse: String!
    version: SubgraphVersion!
  }

  enum LaunchKind { SEED PUBLISH ROLLBACK }

  "A gateway instance that applied a launch, or did not (with why)."
  type LaunchReport {
    instance: String!
    at: DateTime!
    reason: String
  }

  "A composed, accepted set of subgraph versions. Ids read L<n>."
  type Launch {
    id: ID!
    kind: LaunchKind!
    current: Boolean!
    versions: [SubgraphVersionRef!]!
    supergraphSdl: String!
    author: String!
    message: String!
    createdAt: DateTime!
    previousLaunchId: ID
    rolledBackTo: String
    "Breaking changes used by recorded operations were accepted with force."
    forced: Boolean!
    "Gateway instances whose health check refused this launch."
    rejectedBy: [LaunchReport!]!
    appliedBy: [LaunchReport!]!
  }

  type SubgraphVersionRef {
    subgraph: String!
    versionId: ID!
  }

  "An operation the gateway served, per client."
  type RecordedOperation {
    signatureHash: String!
    name: String
    body: String!
    clientName: String!
    "apollographql-client-version, when the client sent one."
    clientVersion: String
    count: Int!
    firstSeen: DateTime!
    lastSeen: DateTime!
  }

  enum OperationSource {
    "sent by a client in the check window (usage reporting)"
    RECORDED
    "registered by an app version (npm run schema -- operations publish)"
    REGISTERED
  }

  "A protected operation a change would break (or, for a dangerous change, may affect), and why."
  type AffectedOperation {
    "The recorded signature hash, or the registered operation's id."
    signatureHash: String!
    name: String
    clientName: String!
    "The app version that registered it (registered operations only)."
    clientVersion: String
    source: OperationSource!
    count: Int!
    lastSeen: DateTime!
    reasons: [String!]!
  }

  "graphql-inspector's criticality levels."
  enum ChangeLevel { BREAKING DANGEROUS NON_BREAKING }

  "One change to the API schema, as graphql-inspector's diff classifies it."
  type SchemaChange {
    level: ChangeLevel!
    type: String!
    description: String!
    reason: String
    coordinate: String
    "Protected operations that use what changed."
    operations: [AffectedOperation!]!
  }

  type BreakingChange {
    level: ChangeLevel!
    type: String!
    description: String!
    reason: String
    coordinate: String
    "Protected operations that use what changed; empty means the change is allowed."
    operations: [AffectedOperation!]!
  }

  "The published SDL is not what the subgraph serves at its routing URL."
  type ServedSdlMismatch {
    subgraph: String!
    "The URL asked: the routing URL after overrides."
    url: String!
    differences: [String!]!
  }

  enum ChangeOutcome {
    "check only: the change composes and breaks no recorded operation (or force was given)"
    PASSED
    PUBLISHED
    NO_CHANGE
    COMPOSITION_ERRORS
    BREAKING_CHANGES
    "the running subgraph does not serve the published SDL (publish with force once it is deployed, or to publish first)"
    SERVED_SDL_MISMATCH
  }

  "The answer to a check, publish, seed or rollback. ok false: refused, nothing was changed."
  type SchemaChangeResult {
    ok: Boolean!
    outcome: ChangeOutcome!
    summary: String!
    forced: Boolean!
    compositionErrors: [String!]!
    "Every change with its graphql-inspector level, breaking first."
    changes: [SchemaChange!]!
    breakingChanges: [BreakingChange!]!
    dangerousChanges: [String!]!
    affectedOperations: [AffectedOperation!]!
    operationsChecked: Int!
    servedSdlMismatches: [ServedSdlMismatch!]!
    launch: Launch
    versions: [SubgraphVersion!]!
  }

  "A check's or publish's verdict, as the registry answered it (recent ones are kept)."
  type SchemaCheck {
    id: ID!
    kind: SchemaCheckKind!
    subgraph: String!
    ok: Boolean!
    outcome: ChangeOutcome!
    summary: String!
    author: String!
    "The launch a publish made."
    launchId: ID
    createdAt: DateTime!
  }

  enum SchemaCheckKind { CHECK PUBLISH }
  "One operation of an app's manifest."
  type AppOperation {
    "What clients send as extensions.persistedQuery.sha256Hash."
    id: ID!
    name: String
    type: String!
    body: String!
  }

  "The operations one version of one app registered (a trusted-documents deployment). Ids read client@version."
  type AppManifest {
    id: ID!
    client: String!
    version: String!
    operations: [AppOperation!]!
    hash: String!
    author: String!
    createdAt: DateTime!
  }

  "A manifest operation that does not run on the current graph, and why."
  type BrokenAppOperation {
    id: ID!
    name: String
    reasons: [String!]!
  }

  enum OperationsPublishOutcome { PUBLISHED NO_CHANGE BROKEN_OPERATIONS }

  "The answer to publishOperations. ok false: refused, nothing was registered."
  type OperationsPublishResult {
    ok: Boolean!
    outcome: OperationsPublishOutcome!
    summary: String!
    manifest: AppManifest
    broken: [BrokenAppOperation!]!
  }

  input SeedSubgraphInput {
    name: String!
    sdl: String!
    routingUrl: String!
  }

  type Query {
    "The subgraphs of the current launch."
    subgraphs: [RegistrySubgraph!]!
    "Versions of one subgraph (newest first), or of all."
    subgraphVersions(name: String, limit: Int = 100): [SubgraphVersion!]!
    launches(limit: Int = 50): [Launch!]!
    currentLaunch: Launch
    launch(id: ID!): Launch
    "Operations the gateway served in the last sinceDays days."
    operations(sinceDays: Float = 7): [RecordedOperation!]!
    "Recent checkSchema and publishSchema verdicts, newest first."
    checks(limit: Int = 50): [SchemaCheck!]!
    "Registered app versions (newest first), or one app's."
    appManifests(client: String, limit: Int = 100): [AppManifest!]!
    "What publishSchema would answer, without changing anything."
    checkSchema(subgraph: String!, sdl: String, introspectUrl: String, routingUrl: String, newSubgraph: Boolean = false): SchemaChangeResult!
  }

  type Mutation {
    publishSchema(
      subgraph: String!
      sdl: String
      "Ask the running subgraph for its SDL instead."
      introspectUrl: String
      routingUrl: String
      message: String
      force: Boolean = false
      newSubgraph: Boolean = false
    ): SchemaChangeResult!
    "Makes a new launch from an earlier launch's versions; one that breaks protected operations needs force."
    rollback(launchId: ID!, message: String, force: Boolean = false): SchemaChangeResult!
    "Puts one subgraph back on an earlier version (composed with the current others); checked like a publish."
    rollbackSubgraph(subgraph: String!, versionId: ID!, message: String, force: Boolean = false): SchemaChangeResult!
    "Registers an app version's operations: manifest is the text of Apollo's persisted query manifest."
    publishOperations(client: String!, version: String!, manifest: String!): OperationsPublishResult!
    "Retires an app version: gateways stop serving its operations and checks stop protecting them."
    retireOperations(client: String!, version: String!): AppManifest!
    "Seeds or updates the registry from a set of subgraphs (npm run schema -- seed sends supergraph.yaml's)."
    seedRegistry(subgraphs: [SeedSubgraphInput!]!, message: String, force: Boolean = false): SchemaChangeResult!
  }
`;

export interface AdminContext {
  viewer: Viewer;
}

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => new Date(String(v)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : null),
});

const author = (ctx: AdminContext) => ctx.viewer.subject ?? ctx.viewer.role;

function versionOut(v: SubgraphVersionDoc) {
  return { ...v, id: v._id };
}

function manifestOut(m: AppManifestDoc) {
  return { ...m, id: m._id };
}

function opOut(o: OperationDoc) {
  return { ...o, name: o.operationName };
}

function resultOut(r: ChangeResult) {
  const affected = (a: ChangeResult['affectedOperations'][number]) => ({ ...a, name: a.operationName, source: a.source.toUpperCase() });
  return {
    ...r,
    changes: r.changes.map((c) => ({ ...c, operations: c.operations.map(affected) })),
    breakingChanges: r.breakingChanges.map((c) => ({ ...c, operations: c.operations.map(affected) })),
    affectedOperations: r.affectedOperations.map(affected),
    versions: r.versions.map(versionOut),
  };
}

/** Keeps the verdict for the admin page's "recent checks"; a failed write never fails the check. */
async function recorded(service: RegistryService, kind: CheckDoc['kind'], subgraph: string, author: string, result: ChangeResult): Promise<ChangeResult> {
  await service.store
    .recordCheck({ kind, subgraph, author, ok: result.ok, outcome: result.outcome, summary: result.summary, launchId: kind === 'publish' && result.ok ? result.launch?._id : undefined })
    .catch(() => undefined);
  return result;
}

function adminResolvers(service: RegistryService) {
  const launchOut = (l: LaunchDoc | null | undefined, currentId: string | null | undefined) =>
    l ? { ...l, id: l._id, kind: l.kind.toUpperCase(), current: !!currentId && currentId === l._id } : null;
  return {
    DateTime,
    SchemaChangeResult: {
      launch: async (r: { launch?: LaunchDoc }) => (r.launch ? launchOut(r.launch, await service.store.currentLaunchId()) : null),
    },
    Query: {
      subgraphs: async () =>
        (await service.subgraphs()).map((v) => ({
          name: v.subgraph,
          routingUrl: v.routingUrl,
          routingUrlInUse: service.routingUrlInUse(v.subgraph, v.routingUrl),
          version: versionOut(v),
        })),
      appManifests: async (_: unknown, a: { client?: string | null; limit: number }) => (await service.appManifests(a.client ?? undefined, a.limit)).map(manifestOut),
      subgraphVersions: async (_: unknown, a: { name?: string | null; limit: number }) =>
        (await service.history(a.name ?? undefined, a.limit)).map(versionOut),
      launches: async (_: unknown, a: { limit: number }) => {
        const currentId = await service.store.currentLaunchId();
        return (await service.launches(a.limit)).map((l) => launchOut(l, currentId));
      },
      currentLaunch: async () => {
        const l = await service.currentLaunch();
        return launchOut(l, l?._id);
      },
      launch: async (_: unknown, a: { id: string }) => launchOut(await service.store.launch(a.id), await service.store.currentLaunchId()),
      operations: async (_: unknown, a: { sinceDays: number }) => (await service.operations(a.sinceDays)).map(opOut),
      checks: async (_: unknown, a: { limit: number }) =>
        (await service.store.recentChecks(Math.min(Math.max(a.limit, 1), 500))).map((c) => ({ ...c, id: c._id, kind: c.kind.toUpperCase() })),
      checkSchema: async (_: unknown, a: { subgraph: string; sdl?: string; introspectUrl?: string; routingUrl?: string; newSubgraph: boolean }, ctx: AdminContext) =>
        resultOut(await recorded(service, 'check', a.subgraph, author(ctx), await service.check({ ...nullsOut(a), author: author(ctx) }))),
    },
    Mutation: {
      publishSchema: async (
        _: unknown,
        a: { subgraph: string; sdl?: string; introspectUrl?: string; routingUrl?: string; message?: string; force: boolean; newSubgraph: boolean },
        ctx: AdminContext,
      ) => resultOut(await recorded(service, 'publish', a.subgraph, author(ctx), await service.publish({ ...nullsOut(a), author: author(ctx) }))),
      rollback: async (_: unknown, a: { launchId: string; message?: string; force: boolean }, ctx: AdminContext) =>
        resultOut(await service.rollback({ launchId: a.launchId, message: a.message ?? undefined, force: a.force, author: author(ctx) })),
      rollbackSubgraph: async (_: unknown, a: { subgraph: string; versionId: string; message?: string; force: boolean }, ctx: AdminContext) =>
        resultOut(await service.rollback({ subgraph: a.subgraph, versionId: a.versionId, message: a.message ?? undefined, force: a.force, author: author(ctx) })),
      publishOperations: async (_: unknown, a: { client: string; version: string; manifest: string }, ctx: AdminContext) => {
        let manifest: unknown;
        try {
          manifest = JSON.parse(a.manifest);
        } catch (err) {
          throw badInput('manifest', `is not JSON: ${(err as Error).message}`);
        }
        const r = await service.publishOperations({ client: a.client, version: a.version, manifest, author: author(ctx) });
        return { ...r, manifest: r.manifest ? manifestOut(r.manifest) : null };
      },
      retireOperations: async (_: unknown, a: { client: string; version: string }, ctx: AdminContext) =>
        manifestOut(await service.retireOperations({ ...a, author: author(ctx) })),
      seedRegistry: async (_: unknown, a: { subgraphs: Array<{ name: string; sdl: string; routingUrl: string }>; message?: string; force: boolean }, ctx: AdminContext) =>
        resultOut(await service.seed({ subgraphs: a.subgraphs, message: a.message ?? undefined, force: a.force, author: author(ctx) })),
    },
  };
}

/** GraphQL gives absent optional arguments as null; the service wants undefined. */
function nullsOut<T extends object>(a: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null)) as never;
}

export interface AdminApiOptions {
  service: RegistryService;
  /** Hides internal error details (`NODE_ENV=production`). */
  production?: boolean;
}

export interface AdminApi {
  /** The schema the admin door validates against. */
  schema: GraphQLSchema;
  /** Executes admitted admin operations; the gateway's admin door serves it at `/admin/graphql`. */
  apollo: ApolloServer<AdminContext>;
  stop(): Promise<void>;
}

/**
 * Who may use the admin API: admins only. Anonymous and bad tokens answer 401 `UNAUTHENTICATED`,
 * any other role 403 `FORBIDDEN`, before anything is parsed or executed.
 */
export function adminRefusal(viewer: Viewer): GraphQLError | undefined {
  if (viewer.role === 'anonymous') return httpError(unauthenticated('The admin API needs an admin bearer token (Authorization: Bearer …)'), 401);
  try {
    requireRole(viewer, 'admin');
    return undefined;
  } catch (err) {
    return httpError(err as GraphQLError, 403);
  }
}

function httpError(err: GraphQLError, status: number): GraphQLError {
  return new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status } } });
}

/**
 * The registry's admin GraphQL API: its own schema and Apollo Server (not part of the city
 * graph). Requests reach it through the gateway's request pipeline like every other door; here
 * database failures become SERVICE_UNAVAILABLE before the pipeline's formatter sees them.
 */
export async function createAdminApi(options: AdminApiOptions): Promise<AdminApi> {
  const schema = makeExecutableSchema({ typeDefs: adminTypeDefs, resolvers: adminResolvers(options.service) as never });
  const apollo = new ApolloServer<AdminContext>({
    schema,
    introspection: true,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const classified = classifyError((error as { originalError?: unknown })?.originalError);
      return classified ? { ...formatted, message: classified.message, extensions: { ...classified.extensions } } : formatted;
    },
  });
  await apollo.start();
  return { schema, apollo, stop: () => apollo.stop() };
}
