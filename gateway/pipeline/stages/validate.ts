import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';

const INTROSPECTION_RULES = [...specifiedRules, NoSchemaIntrospectionCustomRule];

/**
 * Validation against the schema the door serves, and the variables against the operation's
 * definitions, before anything reaches a subgraph. Document verdicts are cached per schema and
 * parsed document (both are kept as long as they are in use: WeakMaps).
 */
export class Validator {
  private readonly verdicts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();

  constructor(private readonly options: { introspection: boolean }) {}

  document(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
    let perSchema = this.verdicts.get(schema);
    if (!perSchema) {
      perSchema = new WeakMap();
      this.verdicts.set(schema, perSchema);
    }
    let errors = perSchema.get(document);
    if (!errors) {
      errors = validate(schema, document, this.options.introspection ? specifiedRules : INTROSPECTION_RULES, { maxErrors: 20 }).map((e) =>
        /introspection/i.test(e.message) && !this.options.introspection
          ? new GraphQLError('Introspection is disabled on this gateway', { nodes: e.nodes, extensions: { code: 'INTROSPECTION_DISABLED' } })
          : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      );
      perSchema.set(document, errors);
    }
    return errors;
  }

  /** The variables' errors (BAD_USER_INPUT naming the variable), empty when they coerce. */
  variables(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown> | null | undefined): GraphQLError[] {
    const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {}, { maxErrors: 20 });
    return (errors ?? []).map((e) => {
      const variable = /Variable "\$([^"]+)"/.exec(e.message)?.[1];
      return new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT', ...(variable ? { field: `$${variable}` } : {}) } });
    });
  }
}
