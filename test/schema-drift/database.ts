import type pg from 'pg';
import type { Column, ColumnDefault, ForeignKey, Index, ReferentialAction, SchemaShape, Table } from './shape';

/**
 * What a PostgreSQL schema has, read from its catalog: enums, tables, columns, primary keys,
 * indexes and foreign keys, in the shape schema.prisma is described in. Triggers and functions are
 * not read (schema.prisma cannot express them); Prisma's own `_prisma_migrations` is left out.
 */
export async function schemaFromDatabase(client: pg.Client, schema = 'public'): Promise<SchemaShape> {
  // One after the other: a pg.Client runs one query at a time.
  const query = async <Row extends pg.QueryResultRow>(sql: string) => (await client.query<Row>(sql, [schema])).rows;
  const columnRows = await query<ColumnRow>(COLUMNS_SQL);
  const enumRows = await query<{ name: string; values: string[] }>(ENUMS_SQL);
  const indexRows = await query<IndexRow>(INDEXES_SQL);
  const foreignKeyRows = await query<ForeignKeyRow>(FOREIGN_KEYS_SQL);

  const tables = new Map<string, Table>();
  const table = (name: string) =>
    tables.get(name) ?? tables.set(name, { name, columns: new Map(), indexes: [], foreignKeys: [] }).get(name)!;
  for (const row of columnRows)
    if (row.table !== '_prisma_migrations') table(row.table).columns.set(row.name, columnFromRow(row));
  for (const row of indexRows) {
    const owner = tables.get(row.table);
    if (!owner) continue;
    if (row.primary) owner.primaryKey = { name: row.name, columns: row.columns };
    else owner.indexes.push(indexFromRow(row));
  }
  for (const row of foreignKeyRows) tables.get(row.table)?.foreignKeys.push(foreignKeyFromRow(row));
  return { enums: new Map(enumRows.map((e) => [e.name, e.values])), tables };
}

const COLUMNS_SQL = `
SELECT c.relname AS table, a.attname AS name, a.attnotnull AS not_null,
       format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS default_sql
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`;

const ENUMS_SQL = `
SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = $1
GROUP BY t.typname`;

// An index is plain when it is what schema.prisma's @id, @unique, @@unique and @@index make here:
// a btree over columns, ascending, default operator classes, no INCLUDE, no WHERE.
const INDEXES_SQL = `
SELECT tc.relname AS table, ic.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
       ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
       am.amname = 'btree' AND ix.indpred IS NULL AND ix.indexprs IS NULL AND ix.indnatts = ix.indnkeyatts
         AND NOT EXISTS (SELECT 1 FROM unnest(ix.indoption::int2[]) o WHERE o <> 0)
         AND NOT EXISTS (SELECT 1 FROM unnest(ix.indclass::oid[]) k JOIN pg_opclass oc ON oc.oid = k WHERE NOT oc.opcdefault) AS plain,
       pg_get_indexdef(ix.indexrelid) AS definition
FROM pg_index ix
JOIN pg_class ic ON ic.oid = ix.indexrelid
JOIN pg_class tc ON tc.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = $1 AND tc.relkind IN ('r', 'p')
ORDER BY ic.relname`;

const FOREIGN_KEYS_SQL = `
SELECT c.conname AS name, t.relname AS table, rt.relname AS referenced_table,
       c.confdeltype AS on_delete, c.confupdtype AS on_update,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_class rt ON rt.oid = c.confrelid
WHERE c.contype = 'f' AND n.nspname = $1
ORDER BY c.conname`;

interface ColumnRow {
  table: string;
  name: string;
  not_null: boolean;
  type: string;
  default_sql: string | null;
}

interface IndexRow {
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  columns: string[];
  plain: boolean;
  definition: string;
}

interface ForeignKeyRow {
  name: string;
  table: string;
  referenced_table: string;
  on_delete: string;
  on_update: string;
  columns: string[];
  referenced_columns: string[];
}

function columnFromRow(row: ColumnRow): Column {
  return {
    name: row.name,
    type: row.type,
    notNull: row.not_null,
    default: parseDefault(row.default_sql),
    defaultText: row.default_sql ?? 'none',
  };
}

function indexFromRow(row: IndexRow): Index {
  const index: Index = { name: row.name, unique: row.unique, columns: row.columns };
  return row.plain
    ? index
    : { ...index, beyondPlain: row.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, '') };
}

function foreignKeyFromRow(row: ForeignKeyRow): ForeignKey {
  const actions: Record<string, ReferentialAction> = {
    a: 'NO ACTION',
    r: 'RESTRICT',
    c: 'CASCADE',
    n: 'SET NULL',
    d: 'SET DEFAULT',
  };
  return {
    name: row.name,
    columns: row.columns,
    referencedTable: row.referenced_table,
    referencedColumns: row.referenced_columns,
    onDelete: actions[row.on_delete] ?? 'NO ACTION',
    onUpdate: actions[row.on_update] ?? 'NO ACTION',
  };
}

/**
 * A default as pg_get_expr() prints it, read back: `nextval('…'::regclass)`, `CURRENT_TIMESTAMP`,
 * `'text'::type`, numbers and booleans, `ARRAY[…]::type[]`; anything else is an expression.
 */
export function parseDefault(sql: string | null): ColumnDefault {
  if (sql === null) return { kind: 'none' };
  const text = sql.trim();
  if (/^nextval\(/i.test(text)) return { kind: 'sequence' };
  if (/^(now\(\)|current_timestamp)$/i.test(text)) return { kind: 'now' };
  const array = /^ARRAY\[(.*?)\](?:::[^']+)?$/s.exec(text);
  if (array) {
    const items =
      array[1]!.trim() === '' ? [] : (array[1]!.match(/'(?:[^']|'')*'(?:::[^,']+)?|[^,]+/g) ?? []).map(literal);
    return items.every((v) => v !== undefined) ? { kind: 'list', values: items as string[] } : { kind: 'expression' };
  }
  const value = literal(text);
  return value === undefined ? { kind: 'expression' } : { kind: 'literal', value };
}

/** `'it''s'::text` → it's, `-1` → -1, `true` → true; anything else is not a literal. */
function literal(sql: string): string | undefined {
  const text = sql.trim();
  const quoted = /^'((?:[^']|'')*)'(?:::[^']+)?$/.exec(text);
  if (quoted) return quoted[1]!.replaceAll("''", "'");
  return /^-?\d+$|^(true|false)$/i.test(text) ? text.toLowerCase() : undefined;
}
