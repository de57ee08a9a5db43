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
   * `Type.field` of every field that takes arguments and that some `@requires` selects, at any
   * depth of its field set, with the same field on the interfaces and implementations it shares.
   * A client selecting one of these under its own name may collide with the required copy.
   */
  argumentFieldsInRequires: ReadonlySet<string>;
  /**
   * `Type.field` of every field of abstract type for which no subgraph that resolves the field
   * has an object type to give its value (typically an interface whose only "implementation" is
   * another subgraph's `@interfaceObject`). Such a field is null or a field error, never an object.
   */
  fieldsWithoutRuntimeType: ReadonlySet<string>;
}

function collectArgumentFields(selectionSet: SelectionSet, into: Set<string>): void {
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FieldSelection') {
      const definition = selection.element.definition;
      if (definition.arguments().length > 0) into.add(`${definition.parent.name}.${definition.name}`);
    }
    if (selection.selectionSet) collectArgumentFields(selection.selectionSet, into);
  }
}

/** Reads the facts above from a supergraph's subgraphs and API schema. */
export function supergraphFacts(supergraph: Supergraph): SupergraphFacts {
  const required = new Set<string>();
  const subgraphs = Array.from(supergraph.subgraphs().values());
  for (const subgraph of subgraphs) {
    const metadata = federationMetadata(subgraph.schema);
    if (!metadata) continue;
    const requires = metadata.requiresDirective();
    for (const application of requires.applications()) {
      const field = application.parent as { parent?: CompositeType };
      if (!field.parent) continue;
      collectArgumentFields(parseFieldSetArgument({ parentType: field.parent, directive: application }), required);
    }
  }

  // The client may select the field through an interface its type implements, or on an
  // implementation of the interface (an @interfaceObject's fields live on an interface in the
  // API schema): the planner puts all of them under the same response name in a fetch.
  const api = supergraph.apiSchema();
  const argumentFieldsInRequires = new Set(required);
  for (const coordinate of required) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = api.type(typeName);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) continue;
    const related = [...type.interfaces(), ...(isInterfaceType(type) ? possibleRuntimeTypes(type) : [])];
    for (const other of related) if (other.field(fieldName)) argumentFieldsInRequires.add(`${other.name}.${fieldName}`);
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
  return { argumentFieldsInRequires, fieldsWithoutRuntimeType };
}
