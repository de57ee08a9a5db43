/**
 * A tiny typed client of the city graph: the documents and their result and variable types come
 * from graphql-codegen's client preset (`npm run codegen:client`, into ./gql), so a field the
 * schema does not have, or a missing variable, is a TypeScript error rather than a runtime one.
 *
 *   npx tsx examples/client/index.ts [gatewayUrl]     (default http://127.0.0.1:4000/graphql)
 */
import { CommunitiesDocument, CommunityDashboardDocument, type TypedDocumentString } from './gql/graphql';

/** Where the client sends its operations, and as whom. */
export interface ClientOptions {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** A resident's or clerk's bearer token (`npm run token -- …`); anonymous without. */
  token?: string;
  /** Sent as `apollographql-client-name`: the registry records and protects operations per client. */
  clientName?: string;
}

/** A GraphQL error answered by the gateway (its `extensions.code` says which refusal). */
export class GraphQLRequestError extends Error {
  constructor(readonly errors: Array<{ message: string; extensions?: { code?: string } }>) {
    super(errors.map((e) => (e.extensions?.code ? `[${e.extensions.code}] ${e.message}` : e.message)).join('; '));
  }
}

/** Operations without variables take none; the others require theirs, typed. */
type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

/** Runs one typed document over HTTP POST and returns its typed `data`; GraphQL errors throw. */
export async function execute<TResult, TVariables>(
  options: ClientOptions,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<TResult> {
  const res = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollographql-client-name': options.clientName ?? 'example-client',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
  });
  const body = (await res.json()) as { data?: TResult | null; errors?: GraphQLRequestError['errors'] };
  if (body.errors?.length) throw new GraphQLRequestError(body.errors);
  if (!body.data) throw new Error(`HTTP ${res.status} without data`);
  return body.data;
}

async function main(): Promise<void> {
  const options: ClientOptions = { url: process.argv[2] ?? 'http://127.0.0.1:4000/graphql', token: process.env.CITYGRAPH_TOKEN };
  const { communities } = await execute(options, CommunitiesDocument);
  for (const c of communities) console.log(`${c.code}  ${c.name}  (${c.street.name}, ${c.street.district.name})`);
  if (!communities.length) return;
  // `code` is required by the document's variables: leaving it out does not compile.
  const { community } = await execute(options, CommunityDashboardDocument, { code: communities[0].code });
  if (community) console.log(`${community.name}: ${community.requestStats.received} request(s) received, ${community.parkingLots?.length ?? 0} parking lot(s) (null when the parking subgraph is down)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
