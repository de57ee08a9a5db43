// Hive Gateway for the benchmark: the committed supergraph with the subgraph URLs the benchmark
// chose (SUBGRAPH_<NAME>_URL), and the signed viewer header the client sends forwarded to every
// subgraph (the subgraphs refuse unsigned requests in production). Nothing else is configured.
import { defineConfig } from '@graphql-hive/gateway';

const names = ['requests', 'parking', 'hostels', 'volunteers'];

export const gatewayConfig = defineConfig({
  transportEntries: Object.fromEntries(
    names.filter((n) => process.env[`SUBGRAPH_${n.toUpperCase()}_URL`]).map((n) => [n, { location: process.env[`SUBGRAPH_${n.toUpperCase()}_URL`] }]),
  ),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ 'x-citygraph-viewer': request.headers.get('x-citygraph-viewer') ?? undefined }),
  },
  logging: 'warn',
});
