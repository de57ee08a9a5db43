import { Supergraph } from '@apollo/federation-internals';
import {
  BreakingChangeType,
  findBreakingChanges,
  findDangerousChanges,
  getNamedType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type BreakingChange,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { OperationDoc } from './store';

/**
 * The schema clients see: the supergraph minus federation internals and @inaccessible members.
 * Feature support is not checked here (`@authenticated` and friends are the gateway's business).
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}

/** A recorded operation that a change would break. */
export interface AffectedOperation {
  signatureHash: string;
  operationName: string | null;
  clientName: string;
  count: number;
  lastSeen: Date;
  /** Why: the validation errors against the proposed schema, or the changed member it uses. */
  reasons: string[];
}

export interface BreakingChangeReport {
  type: string;
  description: string;
  /** The schema coordinate the change is about (`Type.field`, `Type.field(arg:)`, `Type`). */
  coordinate: string | null;
  /** Recorded operations (in the window) that use what changed. Empty: the change is allowed. */
  operations: AffectedOperation[];
}

export interface ChangeReport {
  breakingChanges: BreakingChangeReport[];
  dangerousChanges: string[];
  /** Every recorded operation the change breaks (each once). */
  affectedOperations: AffectedOperation[];
  /** Number of recorded operations checked. */
  operationsChecked: number;
}

/** The schema coordinate a breaking change is about, read from graphql-js' descriptions. */
export function changeCoordinate(change: BreakingChange): string | null {
  const d = change.description;
  let m: RegExpMatchArray | null;
  switch (change.type) {
    case BreakingChangeType.FIELD_REMOVED:
    case BreakingChangeType.FIELD_CHANGED_KIND:
      m = d.match(/^(\w+)\.(\w+) /);
      return m ? `${m[1]}.${m[2]}` : null;
    case BreakingChangeType.ARG_REMOVED:
    case BreakingChangeType.ARG_CHANGED_KIND:
      m = d.match(/^(\w+)\.(\w+) arg (\w+) /);
      return m ? `${m[1]}.${m[2]}(${m[3]}:)` : null;
    case BreakingChangeType.REQUIRED_ARG_ADDED:
      m = d.match(/ on (\w+)\.(\w+) was added/);
      return m ? `${m[1]}.${m[2]}` : null;
    case BreakingChangeType.REQUIRED_INPUT_FIELD_ADDED:
      m = d.match(/ on input type (\w+) was added/);
      return m ? m[1] : null;
    case BreakingChangeType.VALUE_REMOVED_FROM_ENUM:
      m = d.match(/ was removed from enum type (\w+)/);
      return m ? m[1] : null;
    case BreakingChangeType.TYPE_REMOVED_FROM_UNION:
      m = d.match(/ was removed from union type (\w+)/);
      return m ? m[1] : null;
    case BreakingChangeType.IMPLEMENTED_INTERFACE_REMOVED:
      m = d.match(/^(\w+) no longer implements/);
      return m ? m[1] : null;
    case BreakingChangeType.TYPE_REMOVED:
    case BreakingChangeType.TYPE_CHANGED_KIND:
      m = d.match(/^(?:Standard scalar )?(\w+) /);
      return m ? m[1] : null;
    default:
      return null;
  }
}

/** Every schema member an operation uses, as coordinates, resolved against the schema it ran on. */
export function usedCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        used.add(parent.name);
        used.add(`${parent.name}.${node.name.value}`);
        const type = typeInfo.getType();
        if (type) used.add(getNamedType(type).name);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}(${node.name.value}:)`);
        const input = typeInfo.getInputType();
        if (input) used.add(getNamedType(input).name);
      },
      ObjectField() {
        const input = typeInfo.getInputType();
        if (input) used.add(getNamedType(input).name);
      },
      VariableDefinition() {
        const input = typeInfo.getInputType();
        if (input) used.add(getNamedType(input).name);
      },
      InlineFragment(node) {
        if (node.typeCondition) used.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        used.add(node.typeCondition.name.value);
      },
    }),
  );
  return used;
}

/**
 * Compares two API schemas and finds, among the recorded operations, the ones the change would
 * break: an operation that validated against the old schema and no longer validates against the
 * new one, or one that uses a member whose breaking change validation cannot see (a field whose
 * output type changed). A breaking change that no recorded operation uses is allowed.
 */
export function assessChange(oldApi: GraphQLSchema | null, newApi: GraphQLSchema, operations: OperationDoc[]): ChangeReport {
  if (!oldApi) return { breakingChanges: [], dangerousChanges: [], affectedOperations: [], operationsChecked: 0 };
  const changes = findBreakingChanges(oldApi, newApi);
  const dangerous = findDangerousChanges(oldApi, newApi).map((c) => c.description);
  const reports: BreakingChangeReport[] = changes.map((c) => ({
    type: c.type,
    description: c.description,
    coordinate: changeCoordinate(c),
    operations: [],
  }));
  const affected = new Map<string, AffectedOperation>();
  let checked = 0;
  if (changes.length) {
    for (const op of operations) {
      let document: DocumentNode;
      try {
        document = parse(op.body);
      } catch {
        continue;
      }
      // Operations that do not run on the current schema are not broken by this change.
      if (validate(oldApi, document).length) continue;
      checked += 1;
      const used = usedCoordinates(oldApi, document);
      const errors = validate(newApi, document).map((e) => e.message);
      const entry = (): AffectedOperation => {
        const key = op._id;
        let a = affected.get(key);
        if (!a) {
          a = {
            signatureHash: op.signatureHash,
            operationName: op.operationName,
            clientName: op.clientName,
            count: op.count,
            lastSeen: op.lastSeen,
            reasons: [...errors],
          };
          affected.set(key, a);
        }
        return a;
      };
      let attributed = false;
      for (const report of reports) {
        if (!report.coordinate || !used.has(report.coordinate)) continue;
        const a = entry();
        if (!errors.length) a.reasons.push(`uses ${report.coordinate}: ${report.description}`);
        report.operations.push(a);
        attributed = true;
      }
      if (errors.length && !attributed) {
        // Validation fails for a reason the coordinates did not name: attach it to every change.
        const a = entry();
        for (const report of reports) report.operations.push(a);
      }
    }
  }
  return { breakingChanges: reports, dangerousChanges: dangerous, affectedOperations: [...affected.values()], operationsChecked: checked };
}
