/**
 * graphql-codegen's client preset over the operations city apps send (test/contract/operations.graphql),
 * typed against the API schema clients see: `npm run codegen:client` (run from the repository root).
 *
 * The schema is the committed schema/api.graphql (`npm run compose` keeps it fresh), or a running
 * gateway: `CODEGEN_SCHEMA=http://127.0.0.1:4000/graphql npm run codegen:client` (the gateway must
 * answer introspection; `npm run schema -- fetch --out …` writes the same SDL from it). Both give the
 * same types.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: process.env.CODEGEN_SCHEMA || 'schema/api.graphql',
  documents: ['test/contract/operations.graphql'],
  generates: {
    [process.env.CODEGEN_OUT || 'examples/client/gql/']: {
      preset: 'client',
      config: {
        // Documents as strings with their types attached: a fetch is all a client needs, no GraphQL client library.
        documentMode: 'string',
        // DateTime travels as an ISO-8601 string; a scalar added later is unknown until mapped here.
        scalars: { DateTime: 'string' },
        defaultScalarType: 'unknown',
        useTypeImports: true,
        enumsAsTypes: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  silent: true,
};

export default config;
