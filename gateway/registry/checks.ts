import { diff } from '@graphql-inspector/core';
import {
  getNamedType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** What every check compares: the API schema of a launch's supergraph. */
export { apiSchemaOf } from '../supergraph/compose';

/** An operation the checks protect: one clients sent (recorded) or one an app registered (a trusted document). */
export interface CheckedOperation {
  /** Unique among the checked operations (the recorded operation's key, or `client@version:id`). */
  key: string;
  /** The recorded signature hash, or the registered operation's id. */
  signatureHash: string;
  operationName: string | null;
  body: string;
  clientName: string;
  /** The app version whose manifest registered it (registered operations only). */
  clientVersion: string | null;
  source: 'recorded' | 'registered';
  /** Requests seen (0 for a registered operation nobody ran yet). */
  count: number;
  /** Last request, or when the manifest was published. */
  lastSeen: Date;
}

/** A protected operation that a change would break (or, for a dangerous change, may affect). */
export interface AffectedOperation {
  signatureHash: string;
  operationName: string | null;
  clientName: string;
  clientVersion: string | null;
  source: 'recorded' | 'registered';
  count: number;
  lastSeen: Date;
  /** Why: the validation errors against the proposed schema, or the changed member it uses. */
  reasons: string[];
}

/** graphql-inspector's criticality of a change. */
export type ChangeLevel = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

/** One difference between the current and the proposed API schema, as graphql-inspector's `diff` sees it. */
export interface SchemaChangeReport {
  level: ChangeLevel;
  /** graphql-inspector's change type (`FIELD_REMOVED`, `ENUM_VALUE_ADDED`, …). */
  type: string;
  description: string;
  /** Why the level (graphql-inspector's reason), when it gives one. */
  reason: string | null;
  /** The schema coordinate protected operations are matched on (`Type.field`, `Type.field(arg:)`, `Type`). */
  coordinate: string | null;
  /** Protected operations that use what changed (breaking and dangerous changes only). */
  operations: AffectedOperation[];
}

/** A breaking change (kept in this shape for the admin API's `breakingChanges`). */
export type BreakingChangeReport = SchemaChangeReport;

export interface ChangeReport {
  /** Every change, breaking first, then dangerous, then additive / safe. */
  changes: SchemaChangeReport[];
  breakingChanges: SchemaChangeReport[];
  /** Descriptions of the dangerous changes. */
  dangerousChanges: string[];
  /** Every protected operation the change breaks (each once). Non-empty: refused unless forced. */
  affectedOperations: AffectedOperation[];
  /** Number of protected operations checked. */
  operationsChecked: number;
}

/**
 * The coordinate `usedCoordinates` records for what a graphql-inspector change is about. Its
 * `path` reads `Type`, `Type.field`, `Type.field.arg`, `Enum.VALUE` or `Input.field`; an
 * operation depends on an argument as `Type.field(arg:)`, on a new required argument through the
 * field, and on enum values and input fields through their type.
 */
export function changeCoordinate(change: { type: string; path?: string }): string | null {
  if (!change.path) return null;
  const parts = change.path.split('.');
  if (change.type.startsWith('FIELD_ARGUMENT_') && parts.length === 3) {
    return change.type === 'FIELD_ARGUMENT_ADDED' ? `${parts[0]}.${parts[1]}` : `${parts[0]}.${parts[1]}(${parts[2]}:)`;
  }
  if (change.type.startsWith('ENUM_VALUE_') || change.type.startsWith('INPUT_FIELD_')) return parts[0];
  return parts.length <= 2 ? change.path : `${parts[0]}.${parts[1]}`;
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

const LEVEL_ORDER: Record<ChangeLevel, number> = { BREAKING: 0, DANGEROUS: 1, NON_BREAKING: 2 };

/**
 * Breaking changes an operation can suffer while still validating against the new schema: what
 * it reads changes shape (a field's output type, a union or interface losing a member, an enum
 * losing a value it may receive). For every other change, an operation that still validates is
 * not broken by it (e.g. an argument turned required that the operation already passes).
 */
const VALIDATION_BLIND = new Set(['FIELD_TYPE_CHANGED', 'TYPE_KIND_CHANGED', 'UNION_MEMBER_REMOVED', 'OBJECT_TYPE_INTERFACE_REMOVED', 'ENUM_VALUE_REMOVED']);

/** Whether an operation using `used` (and failing validation when `invalid`) is touched by `change`. */
function touches(change: SchemaChangeReport, path: string | undefined, used: Set<string>, invalid: boolean): boolean {
  if (change.level === 'BREAKING' && !invalid && !VALIDATION_BLIND.has(change.type)) return false;
  if (change.coordinate && used.has(change.coordinate)) return true;
  // An argument's change breaks an invalid operation through its field even when the operation
  // leaves the argument out (it became required, or was added as required).
  const parts = path?.split('.') ?? [];
  return invalid && change.type.startsWith('FIELD_ARGUMENT_') && parts.length === 3 && used.has(`${parts[0]}.${parts[1]}`);
}

/**
 * Compares two API schemas with graphql-inspector and finds, among the protected operations, the
 * ones the change would break: an operation that validated against the old schema and no longer
 * validates against the new one, or one that uses a member whose breaking change validation
 * cannot see (a field whose output type changed). A breaking change that no protected operation
 * uses is allowed. Operations using a dangerous change are listed with it, not counted as broken.
 */
export async function assessChange(oldApi: GraphQLSchema | null, newApi: GraphQLSchema, operations: CheckedOperation[]): Promise<ChangeReport> {
  if (!oldApi) return { changes: [], breakingChanges: [], dangerousChanges: [], affectedOperations: [], operationsChecked: 0 };
  const paths = new Map<SchemaChangeReport, string | undefined>();
  const reports: SchemaChangeReport[] = (await diff(oldApi, newApi))
    .map((c) => {
      const report: SchemaChangeReport = {
        level: c.criticality.level as ChangeLevel,
        type: String(c.type),
        description: c.message,
        reason: c.criticality.reason ?? null,
        coordinate: changeCoordinate({ type: String(c.type), path: c.path }),
        operations: [],
      };
      paths.set(report, c.path);
      return report;
    })
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  const breaking = reports.filter((r) => r.level === 'BREAKING');
  const watched = reports.filter((r) => r.level !== 'NON_BREAKING');
  const affected = new Map<string, AffectedOperation>();
  let checked = 0;
  if (watched.length) {
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
      const out = (): AffectedOperation => ({
        signatureHash: op.signatureHash,
        operationName: op.operationName,
        clientName: op.clientName,
        clientVersion: op.clientVersion,
        source: op.source,
        count: op.count,
        lastSeen: op.lastSeen,
        reasons: [...errors],
      });
      const broken = (): AffectedOperation => {
        let a = affected.get(op.key);
        if (!a) affected.set(op.key, (a = out()));
        return a;
      };
      let attributed = false;
      for (const report of watched) {
        if (!touches(report, paths.get(report), used, errors.length > 0)) continue;
        if (report.level === 'DANGEROUS') {
          report.operations.push({ ...out(), reasons: [`uses ${report.coordinate}: ${report.description}`] });
          continue;
        }
        const a = broken();
        if (!errors.length) a.reasons.push(`uses ${report.coordinate}: ${report.description}`);
        report.operations.push(a);
        attributed = true;
      }
      if (errors.length && !attributed) {
        // Validation fails for a reason the coordinates did not name: attach it to every breaking change.
        const a = broken();
        for (const report of breaking) report.operations.push(a);
      }
    }
  }
  return {
    changes: reports,
    breakingChanges: breaking,
    dangerousChanges: reports.filter((r) => r.level === 'DANGEROUS').map((r) => r.description),
    affectedOperations: [...affected.values()],
    operationsChecked: checked,
  };
}
