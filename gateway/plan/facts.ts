import {
  baseType,
  federationMetadata,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  parseFieldSetArgument,
  possibleRuntimeTypes,
  type CompositeType,
  type SelectionSet,
  type Supergraph,
} from '@apollo/federation-internals';

/** What the corrections need to know about a supergraph, computed once per supergraph load. */
export interface SupergraphFacts {
  /**
   * `Type.field` of every field that some `@key` or `@requires` field set selects, at any depth,
   * with the same field on the interfaces and implementations it shares. The planner adds these
   * to fetches under the field's own name, whatever the client selects under that name.
   */
  plannerInputs: ReadonlySet<string>;
  /** Those of `plannerInputs` that take arguments (only `@requires` can select such a field). */
  argumentInputs: ReadonlySet<string>;
  /**
   * `Type.field` of every field of abstract type for which no subgraph that resolves the field
   * has an object type to give its value (typically an interface whose only "implementation" is
   * another subgraph's `@interfaceObject`). Such a field is null or a field error, never an object.
   */
  fieldsWithoutRuntimeType: ReadonlySet<string>;
  /**
   * Every progressive override label of the supergraph (`@join__field(overrideLabel:)`), read as
   * the query planner reads them (override.ts decides per request which are on).
   */
  overrideLabels: ReadonlySet<string>;
  /**
   * What each field with `@requires` needs, by `Type.field`: every field of its field set by its
   * path of field names (`reviews.stars`), printed with its arguments (`reviews(first: 1)`). Two
   * requiring fields whose paths print differently need two copies the planner would merge.
   */
  requirements: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

function collectRequirement(selectionSet: SelectionSet, prefix: string, into: Map<string, string>): void {
  for (const selection of selectionSet.selections()) {
    if (selection.kind !== 'FieldSelection') continue;
    const path = prefix ? `${prefix}.${selection.element.name}` : selection.element.name;
    into.set(path, selection.element.toString());
    if (selection.selectionSet) collectRequirement(selection.selectionSet, path, into);
  }
}

function collectFields(selectionSet: SelectionSet, into: Map<string, boolean>): void {
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FieldSelection') {
      const definition = selection.element.definition;
      into.set(`${definition.parent.name}.${definition.name}`, definition.arguments().length > 0);
    }
    if (selection.selectionSet) collectFields(selection.selectionSet, into);
  }
}

/** Reads the facts above from a supergraph's subgraphs and API schema. */
export function supergraphFacts(supergraph: Supergraph): SupergraphFacts {
  // Field coordinate -> whether the field takes arguments.
  const inputs = new Map<string, boolean>();
  const requirements = new Map<string, Map<string, string>>();
  const subgraphs = Array.from(supergraph.subgraphs().values());
  for (const subgraph of subgraphs) {
    const metadata = federationMetadata(subgraph.schema);
    if (!metadata) continue;
    for (const key of metadata.keyDirective().applications()) {
      const type = key.parent as CompositeType;
      collectFields(parseFieldSetArgument({ parentType: type, directive: key }), inputs);
    }
    for (const requires of metadata.requiresDirective().applications()) {
      const field = requires.parent as { name?: string; parent?: CompositeType };
      if (!field.parent) continue;
      const fieldSet = parseFieldSetArgument({ parentType: field.parent, directive: requires });
      collectFields(fieldSet, inputs);
      const requirement = new Map<string, string>();
      collectRequirement(fieldSet, '', requirement);
      requirements.set(`${field.parent.name}.${field.name}`, requirement);
    }
  }

  // The client may select the field through an interface its type implements, or on an
  // implementation of the interface (an @interfaceObject's fields live on an interface in the
  // API schema): the planner puts all of them under the same response name in a fetch.
  const api = supergraph.apiSchema();
  const plannerInputs = new Set<string>();
  const argumentInputs = new Set<string>();
  for (const [coordinate, takesArguments] of inputs) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = api.type(typeName);
    const related = type && (isObjectType(type) || isInterfaceType(type)) ? [type, ...type.interfaces(), ...(isInterfaceType(type) ? possibleRuntimeTypes(type) : [])] : [];
    for (const other of related) {
      if (!other.field(fieldName)) continue;
      plannerInputs.add(`${other.name}.${fieldName}`);
      if (takesArguments) argumentInputs.add(`${other.name}.${fieldName}`);
    }
  }

  const fieldsWithoutRuntimeType = new Set<string>();
  for (const type of api.types()) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of type.fields()) {
      const returned = baseType(field.type!);
      if (!isAbstractType(returned)) continue;
      let resolvers = 0;
      let canGiveObject = false;
      for (const subgraph of subgraphs) {
        const inSubgraph = subgraph.schema.type(type.name);
        if (!inSubgraph || !(isObjectType(inSubgraph) || isInterfaceType(inSubgraph))) continue;
        const fieldInSubgraph = inSubgraph.field(field.name);
        if (!fieldInSubgraph || federationMetadata(subgraph.schema)?.isFieldExternal(fieldInSubgraph)) continue;
        resolvers++;
        const returnedInSubgraph = subgraph.schema.type(returned.name);
        if (!returnedInSubgraph) continue;
        if (isObjectType(returnedInSubgraph)) canGiveObject = true;
        else if (isAbstractType(returnedInSubgraph) && possibleRuntimeTypes(returnedInSubgraph).length > 0) canGiveObject = true;
      }
      if (resolvers > 0 && !canGiveObject) fieldsWithoutRuntimeType.add(`${type.name}.${field.name}`);
    }
  }
  const overrideLabels = new Set<string>();
  const joinField = supergraph.schema.directives().find((d) => d.name === 'join__field');
  for (const application of joinField?.applications() ?? []) {
    const label = (application.arguments() as { overrideLabel?: unknown }).overrideLabel;
    if (typeof label === 'string' && label) overrideLabels.add(label);
  }
  return { plannerInputs, argumentInputs, fieldsWithoutRuntimeType, overrideLabels, requirements };
}
