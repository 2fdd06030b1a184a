import {
  quoteIdentifier,
  type Column,
  type ColumnDefault,
  type Constraint,
  type ForeignKey,
  type Index,
  type SchemaShape,
  type Table,
} from './shape';

const EXPECTS = 'schema.prisma expects';

/**
 * Every difference between what schema.prisma declares (`expected`) and what a database has
 * (`actual`), one sentence each, enums first, then table by table: missing or extra enums, enum
 * values, tables and columns; column types, nullability and defaults; primary keys; indexes and
 * foreign keys missing, extra, different or under another name. None: the two agree.
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): string[] {
  return [...diffEnums(expected.enums, actual.enums), ...diffTables(expected.tables, actual.tables)];
}

function diffEnums(expected: Map<string, string[]>, actual: Map<string, string[]>): string[] {
  const differences: string[] = [];
  const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
  for (const [name, values] of expected) {
    const found = actual.get(name);
    const label = `enum ${quoteIdentifier(name)}`;
    if (!found) {
      differences.push(`${label}: missing — ${EXPECTS} values ${list(values)}, database has no such type`);
    } else if (found.join('\0') !== values.join('\0')) {
      const missing = values.filter((v) => !found.includes(v));
      const extra = found.filter((v) => !values.includes(v));
      const details = [
        ...(missing.length ? [`missing ${list(missing)}`] : []),
        ...(extra.length ? [`extra ${list(extra)}`] : []),
      ];
      differences.push(
        `${label}: values differ (${details.join('; ') || 'order differs'}) — ${EXPECTS} ${list(values)}, database has ${list(found)}`,
      );
    }
  }
  for (const [name, values] of actual) {
    if (expected.has(name)) continue;
    differences.push(
      `enum ${quoteIdentifier(name)}: extra type in the database (values ${list(values)}), schema.prisma has no such enum`,
    );
  }
  return differences;
}

function diffTables(expected: Map<string, Table>, actual: Map<string, Table>): string[] {
  const differences: string[] = [];
  for (const [name, table] of expected) {
    const found = actual.get(name);
    if (found)
      differences.push(
        ...diffColumns(table, found),
        ...diffPrimaryKey(table, found),
        ...diffIndexes(table, found),
        ...diffForeignKeys(table, found),
      );
    else
      differences.push(
        `${name}: table missing — schema.prisma has model ${table.model ?? name}, database has no such table`,
      );
  }
  for (const name of actual.keys()) {
    if (!expected.has(name))
      differences.push(`${name}: extra table in the database, schema.prisma has no model for it`);
  }
  return differences;
}

function diffColumns(expected: Table, actual: Table): string[] {
  const differences: string[] = [];
  for (const [name, column] of expected.columns) {
    const label = `${expected.name}.${name}`;
    const found = actual.columns.get(name);
    if (!found) {
      differences.push(
        `${label}: column missing — schema.prisma has ${column.field ?? name} (${describeColumn(column)}), database has no such column`,
      );
      continue;
    }
    if (found.type !== column.type)
      differences.push(`${label}: type differs — ${EXPECTS} ${column.type}, database has ${found.type}`);
    if (found.notNull !== column.notNull) {
      differences.push(
        `${label}: nullability differs — ${EXPECTS} ${nullability(column)}, database has ${nullability(found)}`,
      );
    }
    if (!sameDefault(column.default, found.default)) {
      differences.push(
        `${label}: default differs — ${EXPECTS} ${column.defaultText}, database has ${found.defaultText}`,
      );
    }
  }
  for (const [name, column] of actual.columns) {
    if (expected.columns.has(name)) continue;
    differences.push(
      `${expected.name}.${name}: extra column in the database (${describeColumn(column)}), schema.prisma has no field for it`,
    );
  }
  return differences;
}

function sameDefault(expected: ColumnDefault, actual: ColumnDefault): boolean {
  // An expression is only ever the database's: no declared default equals one.
  return expected.kind !== 'expression' && JSON.stringify(expected) === JSON.stringify(actual);
}

function diffPrimaryKey(expected: Table, actual: Table): string[] {
  const describe = (key: Constraint | undefined) => (key ? `${key.name} (${key.columns.join(', ')})` : 'none');
  const [e, a] = [describe(expected.primaryKey), describe(actual.primaryKey)];
  return e === a ? [] : [`${expected.name}: primary key differs — ${EXPECTS} ${e}, database has ${a}`];
}

const describeIndex = (index: Index) =>
  index.beyondPlain ?? `${index.unique ? 'UNIQUE ' : ''}INDEX (${index.columns.join(', ')})`;

function diffIndexes(expected: Table, actual: Table): string[] {
  return diffConstraints(expected.name, 'index', expected.indexes, actual.indexes, describeIndex);
}

const describeForeignKey = (key: ForeignKey) =>
  `FOREIGN KEY (${key.columns.join(', ')}) REFERENCES ${key.referencedTable}(${key.referencedColumns.join(', ')}) ` +
  `ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate}`;

function diffForeignKeys(expected: Table, actual: Table): string[] {
  return diffConstraints(expected.name, 'foreign key', expected.foreignKeys, actual.foreignKeys, describeForeignKey);
}

/**
 * Pairs constraints by name and compares their descriptions. An unpaired one described the same
 * as an unpaired counterpart is reported as misnamed; the rest as missing or extra.
 */
function diffConstraints<T extends { name: string }>(
  table: string,
  kind: string,
  expected: T[],
  actual: T[],
  describe: (constraint: T) => string,
): string[] {
  const differences: string[] = [];
  const unpaired = new Map(actual.map((c) => [c.name, c]));
  for (const constraint of expected) {
    const found = unpaired.get(constraint.name);
    if (found) {
      unpaired.delete(found.name);
      if (describe(found) !== describe(constraint)) {
        differences.push(
          `${table}: ${kind} ${constraint.name} differs — ${EXPECTS} ${describe(constraint)}, database has ${describe(found)}`,
        );
      }
      continue;
    }
    const renamed = [...unpaired.values()].find((c) => describe(c) === describe(constraint));
    if (renamed) {
      unpaired.delete(renamed.name);
      differences.push(
        `${table}: ${kind} ${renamed.name} is misnamed — ${EXPECTS} the name ${constraint.name} for ${describe(constraint)}`,
      );
    } else {
      differences.push(
        `${table}: ${kind} ${constraint.name} missing — ${EXPECTS} ${describe(constraint)}, database has none`,
      );
    }
  }
  for (const constraint of unpaired.values()) {
    differences.push(
      `${table}: extra ${kind} ${constraint.name} in the database (${describe(constraint)}), schema.prisma does not declare it`,
    );
  }
  return differences;
}

function describeColumn(column: Column): string {
  return `${column.type} ${nullability(column)}${column.default.kind === 'none' ? '' : ` DEFAULT ${column.defaultText}`}`;
}

const nullability = (column: Column) => (column.notNull ? 'NOT NULL' : 'NULL');
