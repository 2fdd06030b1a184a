import { get_dmmf } from '@prisma/prisma-schema-wasm';
import type pg from 'pg';

/**
 * Compares a PostgreSQL database with prisma/schema.prisma the way `prisma migrate diff` would:
 * enums, tables, columns (type, nullability, default), primary keys, unique and plain indexes and
 * foreign keys, including Prisma's default constraint names. Both sides are first turned into the
 * same shape (`Schema`); the diff then works on that shape only.
 *
 * Prisma's schema engine cannot be downloaded here, so this stands in for it: a freshly migrated
 * database must produce no differences, or a migration is missing or wrong. Triggers and functions
 * are not compared (schema.prisma cannot express them).
 */
export async function findSchemaDrift(
  schemaText: string,
  client: pg.Client,
  options: { schema?: string } = {},
): Promise<string[]> {
  const expected = schemaFromPrisma(schemaText);
  const actual = await schemaFromDatabase(client, options.schema ?? 'public');
  return [...diffEnums(expected.enums, actual.enums), ...diffTables(expected.tables, actual.tables)];
}

// ---------------------------------------------------------------------------------------------
// The shape both sides are compared in.

interface Schema {
  /** Enum type name → values in order. */
  enums: Map<string, string[]>;
  tables: Map<string, Table>;
}

interface Table {
  name: string;
  /** The Prisma model it comes from, for messages (schema side only). */
  model?: string;
  columns: Map<string, Column>;
  primaryKey?: Constraint;
  indexes: Index[];
  foreignKeys: ForeignKey[];
}

interface Column {
  name: string;
  /** `Model.field` it comes from, for messages (schema side only). */
  field?: string;
  /** As PostgreSQL's format_type() prints it, enums quoted, `[]` for lists: `character varying(63)`, `"Role"[]`. */
  type: string;
  notNull: boolean;
  default: ColumnDefault;
  /** The default as SQL, for messages. */
  defaultText: string;
}

type ColumnDefault =
  | { kind: 'none' }
  /** autoincrement(): a nextval() sequence or an identity column. */
  | { kind: 'sequence' }
  /** now(): CURRENT_TIMESTAMP or now(). */
  | { kind: 'now' }
  | { kind: 'literal'; value: string }
  | { kind: 'list'; values: string[] }
  /** dbgenerated("…"), or a database expression that is none of the above. */
  | { kind: 'expression'; sql: string }
  /** dbgenerated() without an argument: Prisma accepts whatever the database has. */
  | { kind: 'any' };

interface Constraint {
  name: string;
  columns: string[];
}

interface Index {
  name: string;
  unique: boolean;
  /** Access method: btree, hash, gin, gist, spgist, brin. */
  algorithm: string;
  columns: IndexColumn[];
  /** WHERE clause of a partial index (database side only: Prisma cannot declare one). */
  predicate?: string;
}

interface IndexColumn {
  name: string;
  descending: boolean;
  /** Operator class, when not the type's default (database side) or when given with `ops:` (schema side). */
  opclass?: string;
  /** Database side: the opclass used is the default one for its type. */
  opclassIsDefault?: boolean;
}

interface ForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

// ---------------------------------------------------------------------------------------------
// schema.prisma → Schema, through the DMMF of Prisma's own schema parser (WASM).

type DmmfScalar = string | number | boolean;
type DmmfDefault = DmmfScalar | DmmfScalar[] | { name: string; args: DmmfScalar[] };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  default?: DmmfDefault;
  nativeType?: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc'; operatorClass?: string }[];
}

interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

function parseDatamodel(schemaText: string): Datamodel {
  let json: string;
  try {
    json = get_dmmf(JSON.stringify({ prismaSchema: schemaText }));
  } catch (error) {
    // The parser throws an Error whose message is JSON with an ANSI-coloured `message`.
    const raw = error instanceof Error ? error.message : String(error);
    let message = raw;
    try {
      message = (JSON.parse(raw) as { message?: string }).message ?? raw;
    } catch {
      // not JSON: keep it as it is
    }
    throw new Error(`schema.prisma does not parse: ${message.replace(/\u001b\[[0-9;]*m/g, '')}`);
  }
  return (JSON.parse(json) as { datamodel: Datamodel }).datamodel;
}

/** What the schema side needs to look things up while building tables. */
class PrismaContext {
  readonly models = new Map<string, DmmfModel>();
  readonly enums = new Map<string, DmmfEnum>();

  constructor(
    readonly datamodel: Datamodel,
    readonly schemaText: string,
  ) {
    for (const model of datamodel.models) this.models.set(model.name, model);
    for (const enumType of datamodel.enums) this.enums.set(enumType.name, enumType);
  }

  model(name: string): DmmfModel {
    const model = this.models.get(name);
    if (!model) throw new Error(`schema.prisma: unknown model ${name}`);
    return model;
  }

  enumDbName(name: string): string {
    return this.enums.get(name)?.dbName ?? name;
  }

  enumValueDbName(enumName: string, value: string): string {
    return this.enums.get(enumName)?.values.find((v) => v.name === value)?.dbName ?? value;
  }
}

function schemaFromPrisma(schemaText: string): Schema {
  assertInDmmf(schemaText);
  const context = new PrismaContext(parseDatamodel(schemaText), schemaText);
  const enums = new Map(
    context.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)] as const),
  );
  const tables = [
    ...context.datamodel.models.map((model) => tableFromModel(model, context)),
    ...implicitManyToManyTables(context),
  ];
  return { enums, tables: new Map(tables.map((t) => [t.name, t])) };
}

/**
 * The DMMF leaves out Unsupported("…") fields and @ignore'd fields and models, though Prisma
 * Migrate still creates them; rather than report their columns and tables as extra, refuse.
 */
function assertInDmmf(schemaText: string): void {
  const code = schemaText.replace(/\/\/.*$/gm, '');
  const construct = /\bUnsupported\(|@@?ignore\b/.exec(code)?.[0];
  if (construct) throw new Error(`findSchemaDrift cannot check schemas that use ${construct}: the DMMF leaves those out`);
}

const tableName = (model: DmmfModel) => model.dbName ?? model.name;

function columnName(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((f) => f.name === fieldName);
  return field?.dbName ?? fieldName;
}

function tableFromModel(model: DmmfModel, context: PrismaContext): Table {
  const table = tableName(model);
  const columns = model.fields
    .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
    .map((field) => columnFromField(model, field, context));
  const modelIndexes = context.datamodel.indexes.filter((i) => i.model === model.name);
  const id = modelIndexes.find((i) => i.type === 'id');
  return {
    name: table,
    model: model.name,
    columns: new Map(columns.map((c) => [c.name, c])),
    primaryKey: id && {
      name: id.dbName ?? defaultConstraintName(table, '_pkey'),
      columns: id.fields.map((f) => columnName(model, f.name)),
    },
    indexes: modelIndexes
      .filter((i) => i.type === 'unique' || i.type === 'normal')
      .map((index) => indexFromDmmf(model, index)),
    foreignKeys: usesForeignKeys(context.schemaText)
      ? model.fields.filter(isOwningRelation).map((field) => foreignKeyFromRelation(model, field, context))
      : [],
  };
}

function columnFromField(model: DmmfModel, field: DmmfField, context: PrismaContext): Column {
  const type = columnType(field, context);
  const columnDefault = defaultFromField(field, context);
  return {
    name: field.dbName ?? field.name,
    field: `${model.name}.${field.name}`,
    type,
    // Prisma creates scalar-list columns without NOT NULL, whatever the field says.
    notNull: field.isRequired && !field.isList,
    default: columnDefault,
    defaultText: renderDefault(columnDefault, type),
  };
}

/** Prisma's PostgreSQL type for a field: its @db native type, else the scalar type's default. */
function columnType(field: DmmfField, context: PrismaContext): string {
  const base =
    field.kind === 'enum'
      ? quoteIdentifier(context.enumDbName(field.type))
      : field.nativeType
        ? nativeColumnType(field.nativeType[0], field.nativeType[1])
        : SCALAR_TYPES[field.type];
  if (base === undefined) throw new Error(`schema.prisma: no PostgreSQL type known for ${field.name} ${field.type}`);
  return field.isList ? `${base}[]` : base;
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

function nativeColumnType(name: string, args: string[]): string {
  const sized = (sqlName: string, fallback?: string) => {
    const size = args.length > 0 ? args.join(',') : fallback;
    return size === undefined ? sqlName : `${sqlName}(${size})`;
  };
  // Time types put the precision before the zone: timestamp(3) with time zone.
  const timeType = (sqlName: string, zone: string) => `${sized(sqlName)} ${zone} time zone`;
  switch (name) {
    case 'VarChar':
      return sized('character varying');
    case 'Char':
      return sized('character', '1');
    case 'Bit':
      return sized('bit', '1');
    case 'VarBit':
      return sized('bit varying');
    case 'Decimal':
      return sized('numeric');
    case 'Timestamp':
      return timeType('timestamp', 'without');
    case 'Timestamptz':
      return timeType('timestamp', 'with');
    case 'Time':
      return timeType('time', 'without');
    case 'Timetz':
      return timeType('time', 'with');
    case 'DoublePrecision':
      return 'double precision';
    default:
      // Text, Uuid, Xml, Inet, Citext, Json, JsonB, ByteA, Integer, SmallInt, BigInt, Oid, Real,
      // Money, Date, Boolean: the same word in lower case.
      return name.toLowerCase();
  }
}

function defaultFromField(field: DmmfField, context: PrismaContext): ColumnDefault {
  const value = field.default;
  if (value === undefined) return { kind: 'none' };
  if (Array.isArray(value)) return { kind: 'list', values: value.map((v) => literalText(v, field, context)) };
  if (typeof value !== 'object') return { kind: 'literal', value: literalText(value, field, context) };
  switch (value.name) {
    case 'autoincrement':
      return { kind: 'sequence' };
    case 'now':
      return { kind: 'now' };
    case 'dbgenerated':
      return value.args[0] === undefined ? { kind: 'any' } : { kind: 'expression', sql: String(value.args[0]) };
    default:
      // uuid(), cuid(), nanoid(), ulid(): generated by Prisma Client, no database default.
      return { kind: 'none' };
  }
}

/** A literal default as PostgreSQL stores it: enum values by their @map'd name. */
function literalText(value: DmmfScalar, field: DmmfField, context: PrismaContext): string {
  return field.kind === 'enum' ? context.enumValueDbName(field.type, String(value)) : String(value);
}

function indexFromDmmf(model: DmmfModel, index: DmmfIndex): Index {
  const table = tableName(model);
  const columns = index.fields.map((f) => columnName(model, f.name));
  const suffix = index.type === 'unique' ? '_key' : '_idx';
  return {
    name: index.dbName ?? defaultConstraintName(`${table}_${columns.join('_')}`, suffix),
    unique: index.type === 'unique',
    algorithm: (index.algorithm ?? 'btree').toLowerCase(),
    columns: index.fields.map((f, i) => ({
      name: columns[i] ?? f.name,
      descending: f.sortOrder === 'desc',
      opclass: f.operatorClass && operatorClassName(f.operatorClass),
    })),
  };
}

/**
 * `ops: JsonbPathOps` → jsonb_path_ops, `ops: TimestampTzMinMaxOps` → timestamptz_minmax_ops;
 * `ops: raw("text_pattern_ops")` arrives as the PostgreSQL name already.
 */
function operatorClassName(prismaName: string): string {
  return prismaName
    .replace(/Tz/g, 'tz')
    .replace(/MinMax/g, 'Minmax')
    .replace(/VarBit/g, 'Varbit')
    .replace(/MacAddr/g, 'Macaddr')
    .replace(/(?<=[a-z0-9])([A-Z])/g, '_$1')
    .toLowerCase();
}

/** The side of a relation that has `fields:`/`references:`, i.e. holds the foreign key. */
function isOwningRelation(field: DmmfField): boolean {
  return field.kind === 'object' && (field.relationFromFields?.length ?? 0) > 0;
}

function foreignKeyFromRelation(model: DmmfModel, field: DmmfField, context: PrismaContext): ForeignKey {
  const table = tableName(model);
  const referenced = context.model(field.type);
  const columns = (field.relationFromFields ?? []).map((f) => columnName(model, f));
  return {
    name:
      relationConstraintName(context.schemaText, model.name, field.name) ??
      defaultConstraintName(`${table}_${columns.join('_')}`, '_fkey'),
    columns,
    referencedTable: tableName(referenced),
    referencedColumns: (field.relationToFields ?? []).map((f) => columnName(referenced, f)),
    // Prisma's defaults when the relation does not say.
    onDelete: referentialAction(field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')),
    onUpdate: referentialAction(field.relationOnUpdate ?? 'Cascade'),
  };
}

function referentialAction(prismaAction: string): ReferentialAction {
  const actions: Record<string, ReferentialAction> = {
    Cascade: 'CASCADE',
    Restrict: 'RESTRICT',
    NoAction: 'NO ACTION',
    SetNull: 'SET NULL',
    SetDefault: 'SET DEFAULT',
  };
  const action = actions[prismaAction];
  if (!action) throw new Error(`schema.prisma: unknown referential action ${prismaAction}`);
  return action;
}

/**
 * `@relation(..., map: "name")`: the DMMF does not carry a foreign key's own name, so it is read
 * from the field's line in the model's block.
 */
function relationConstraintName(schemaText: string, modelName: string, fieldName: string): string | undefined {
  const block = new RegExp(`^\\s*model\\s+${modelName}\\s*\\{([\\s\\S]*?)^\\s*\\}`, 'm').exec(schemaText)?.[1] ?? '';
  const line = block.split('\n').find((l) => new RegExp(`^\\s*${fieldName}\\s`).test(l)) ?? '';
  const relation = /@relation\(([^)]*)\)/.exec(line.replace(/\/\/.*$/, ''))?.[1] ?? '';
  return /\bmap\s*:\s*"([^"]+)"/.exec(relation)?.[1];
}

/** With `relationMode = "prisma"` relations are emulated by Prisma Client and have no foreign keys. */
function usesForeignKeys(schemaText: string): boolean {
  return !/datasource\s+\w+\s*\{[^}]*relationMode\s*=\s*"prisma"/.test(schemaText);
}

/**
 * Implicit many-to-many relations (list fields on both sides, no `fields:`) get a join table
 * `_<RelationName>` with columns A and B for the two models' ids, A being the model whose name
 * sorts first.
 */
function implicitManyToManyTables(context: PrismaContext): Table[] {
  const relations = new Map<string, { model: DmmfModel; field: DmmfField }[]>();
  for (const model of context.datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationName) continue;
      relations.set(field.relationName, [...(relations.get(field.relationName) ?? []), { model, field }]);
    }
  }
  const tables: Table[] = [];
  for (const [relationName, sides] of relations) {
    if (!sides.every((s) => s.field.isList && (s.field.relationFromFields?.length ?? 0) === 0)) continue;
    const [modelA, modelB] = sides.map((s) => s.field.type).sort();
    if (modelA === undefined) continue;
    tables.push(joinTable(`_${relationName}`, context.model(modelA), context.model(modelB ?? modelA), context));
  }
  return tables;
}

function joinTable(name: string, modelA: DmmfModel, modelB: DmmfModel, context: PrismaContext): Table {
  const side = (column: 'A' | 'B', model: DmmfModel) => {
    const id = model.fields.find((f) => context.datamodel.indexes.some((i) => isSingleFieldId(i, model, f)));
    if (!id) throw new Error(`schema.prisma: model ${model.name} needs a single-field @id for its many-to-many relation`);
    const type = columnType({ ...id, isList: false }, context);
    const foreignKey: ForeignKey = {
      name: `${name}_${column}_fkey`,
      columns: [column],
      referencedTable: tableName(model),
      referencedColumns: [id.dbName ?? id.name],
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    };
    const columnShape: Column = { name: column, type, notNull: true, default: { kind: 'none' }, defaultText: 'none' };
    return { column: columnShape, foreignKey };
  };
  const a = side('A', modelA);
  const b = side('B', modelB);
  return {
    name,
    model: `(implicit many-to-many ${modelA.name} ↔ ${modelB.name})`,
    columns: new Map([
      ['A', a.column],
      ['B', b.column],
    ]),
    primaryKey: { name: `${name}_AB_pkey`, columns: ['A', 'B'] },
    indexes: [
      { name: `${name}_B_index`, unique: false, algorithm: 'btree', columns: [{ name: 'B', descending: false }] },
    ],
    foreignKeys: [a.foreignKey, b.foreignKey],
  };
}

function isSingleFieldId(index: DmmfIndex, model: DmmfModel, field: DmmfField): boolean {
  return index.model === model.name && index.type === 'id' && index.fields.length === 1 && index.fields[0]?.name === field.name;
}

/**
 * Prisma's default names (`<table>_pkey`, `<table>_<columns>_key|_idx|_fkey`), cut to PostgreSQL's
 * 63-byte identifier limit before the suffix, as Prisma does.
 */
function defaultConstraintName(base: string, suffix: string): string {
  const limit = 63 - suffix.length;
  let name = '';
  for (const char of base) {
    if (Buffer.byteLength(name + char) > limit) break;
    name += char;
  }
  return name + suffix;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL catalog → Schema.

const IGNORED_TABLES = new Set(['_prisma_migrations']);

const TABLES_SQL = `
SELECT c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

// Array columns are described by their element type (format_type keeps the length/precision).
const COLUMNS_SQL = `
SELECT c.relname AS table, a.attname AS name, a.attnotnull AS not_null,
       t.typcategory = 'A' AS is_array,
       et.typtype = 'e' AS is_enum, et.typname AS enum_name,
       format_type(et.oid, a.atttypmod) AS element_type,
       pg_get_expr(d.adbin, d.adrelid) AS default_sql,
       a.attidentity <> '' AS is_identity
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
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

// One row per index key column, in key order; expression keys are printed as their expression.
const INDEX_COLUMNS_SQL = `
SELECT tc.relname AS table, ic.relname AS index, ix.indisunique AS unique, ix.indisprimary AS primary,
       am.amname AS algorithm, pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       CASE WHEN k.attnum = 0 THEN pg_get_indexdef(ix.indexrelid, k.ord::int, true) ELSE a.attname END AS column,
       (ix.indoption[k.ord - 1] & 1) = 1 AS descending,
       oc.opcname AS opclass, oc.opcdefault AS opclass_is_default
FROM pg_index ix
JOIN pg_class ic ON ic.oid = ix.indexrelid
JOIN pg_class tc ON tc.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL unnest(ix.indkey::int2[], ix.indclass::oid[]) WITH ORDINALITY AS k(attnum, opclass_oid, ord)
LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
LEFT JOIN pg_opclass oc ON oc.oid = k.opclass_oid
WHERE n.nspname = $1 AND tc.relkind IN ('r', 'p') AND k.ord <= ix.indnkeyatts
ORDER BY ic.relname, k.ord`;

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
  is_array: boolean;
  is_enum: boolean;
  enum_name: string;
  element_type: string;
  default_sql: string | null;
  is_identity: boolean;
}

interface IndexColumnRow {
  table: string;
  index: string;
  unique: boolean;
  primary: boolean;
  algorithm: string;
  predicate: string | null;
  column: string;
  descending: boolean;
  opclass: string | null;
  opclass_is_default: boolean | null;
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

async function schemaFromDatabase(client: pg.Client, schema: string): Promise<Schema> {
  // One after the other: a pg.Client runs one query at a time.
  const query = async <Row extends pg.QueryResultRow>(sql: string) => (await client.query<Row>(sql, [schema])).rows;
  const tableRows = await query<{ name: string }>(TABLES_SQL);
  const columnRows = await query<ColumnRow>(COLUMNS_SQL);
  const enumRows = await query<{ name: string; values: string[] }>(ENUMS_SQL);
  const indexRows = await query<IndexColumnRow>(INDEX_COLUMNS_SQL);
  const foreignKeyRows = await query<ForeignKeyRow>(FOREIGN_KEYS_SQL);

  const tables = new Map<string, Table>();
  for (const { name } of tableRows) {
    if (!IGNORED_TABLES.has(name)) tables.set(name, { name, columns: new Map(), indexes: [], foreignKeys: [] });
  }
  for (const row of columnRows) tables.get(row.table)?.columns.set(row.name, columnFromRow(row));
  for (const { table, primary, ...index } of indexesFromRows(indexRows)) {
    const owner = tables.get(table);
    if (!owner) continue;
    if (primary) owner.primaryKey = { name: index.name, columns: index.columns.map((c) => c.name) };
    else owner.indexes.push(index);
  }
  for (const row of foreignKeyRows) tables.get(row.table)?.foreignKeys.push(foreignKeyFromRow(row));

  return { enums: new Map(enumRows.map((e) => [e.name, e.values])), tables };
}

function columnFromRow(row: ColumnRow): Column {
  const elementType = row.is_enum ? quoteIdentifier(row.enum_name) : row.element_type;
  const columnDefault = row.is_identity ? { kind: 'sequence' as const } : parseDatabaseDefault(row.default_sql, row.is_array);
  return {
    name: row.name,
    type: row.is_array ? `${elementType}[]` : elementType,
    notNull: row.not_null,
    default: columnDefault,
    defaultText: row.is_identity ? 'an identity column' : (row.default_sql ?? 'none'),
  };
}

interface DatabaseIndex extends Index {
  table: string;
  primary: boolean;
}

function indexesFromRows(rows: IndexColumnRow[]): DatabaseIndex[] {
  const indexes = new Map<string, DatabaseIndex>();
  for (const row of rows) {
    let index = indexes.get(row.index);
    if (!index) {
      index = {
        table: row.table,
        primary: row.primary,
        name: row.index,
        unique: row.unique,
        algorithm: row.algorithm,
        columns: [],
        ...(row.predicate === null ? {} : { predicate: row.predicate }),
      };
      indexes.set(row.index, index);
    }
    index.columns.push({
      name: row.column,
      descending: row.descending,
      opclass: row.opclass ?? undefined,
      opclassIsDefault: row.opclass_is_default ?? true,
    });
  }
  return [...indexes.values()];
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

// ---------------------------------------------------------------------------------------------
// Column defaults: what PostgreSQL's pg_get_expr() prints, read back into a ColumnDefault.

/**
 * Recognises `nextval('…'::regclass)`, `CURRENT_TIMESTAMP`/`now()`, `ARRAY[…]::type[]`,
 * `'{…}'::type[]`, `'text'::type`, numbers and booleans; anything else is kept as an expression.
 */
function parseDatabaseDefault(sql: string | null, isArray: boolean): ColumnDefault {
  if (sql === null) return { kind: 'none' };
  const text = sql.trim();
  if (/^nextval\(/i.test(text)) return { kind: 'sequence' };
  if (/^(now\(\)|current_timestamp(\(\d+\))?|transaction_timestamp\(\))$/i.test(text)) return { kind: 'now' };
  const array = /^ARRAY\[([\s\S]*?)\](?:::[^']*)?$/.exec(text);
  if (array) return listDefault(splitTopLevel(array[1] ?? '').map(parseLiteral));
  const literal = parseLiteral(text);
  if (literal !== undefined && isArray && literal.startsWith('{')) return listDefault(parseArrayLiteral(literal));
  if (literal !== undefined) return { kind: 'literal', value: literal };
  return { kind: 'expression', sql: text };
}

function listDefault(values: (string | undefined)[]): ColumnDefault {
  const known = values.filter((v): v is string => v !== undefined);
  return known.length === values.length ? { kind: 'list', values: known } : { kind: 'expression', sql: values.join(', ') };
}

/** `'it''s'::text` → it's, `'-1'::integer` → -1, `1.5` → 1.5, `true` → true. */
function parseLiteral(sql: string): string | undefined {
  const text = sql.trim();
  const quoted = /^'((?:[^']|'')*)'(?:::[^']+)?$/.exec(text);
  if (quoted) return (quoted[1] ?? '').replaceAll("''", "'");
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) || /^(true|false)$/i.test(text)) return text.toLowerCase();
  return undefined;
}

/** PostgreSQL's array text form `{a,"b c"}` (as in `DEFAULT '{}'`), one level deep. */
function parseArrayLiteral(text: string): string[] {
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  return inner.split(',').map((item) => item.trim().replace(/^"(.*)"$/, '$1'));
}

/** Splits on commas that are not inside quotes or parentheses. */
function splitTopLevel(text: string): string[] {
  if (text.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    if (char === ',' && !quoted && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  return [...parts, current];
}

function defaultsMatch(expected: Column, actual: Column): boolean {
  const [want, have] = [expected.default, actual.default];
  if (want.kind === 'any') return true;
  // dbgenerated("…") is compared with the database's own text of the expression, whatever it is.
  if (want.kind === 'expression') return have.kind !== 'none' && normaliseSql(actual.defaultText) === normaliseSql(want.sql);
  // Like Prisma, DateTime literal defaults are only checked for being there: PostgreSQL reprints them.
  if (want.kind === 'literal' && valueFamily(expected.type) === 'datetime') return have.kind !== 'none';
  switch (want.kind) {
    case 'literal':
      return have.kind === 'literal' && sameValue(want.value, have.value, expected.type);
    case 'list':
      return (
        have.kind === 'list' &&
        have.values.length === want.values.length &&
        want.values.every((value, i) => sameValue(value, have.values[i] ?? '', expected.type))
      );
    default:
      return have.kind === want.kind;
  }
}

type ValueFamily = 'number' | 'json' | 'bytes' | 'datetime' | 'other';

function valueFamily(type: string): ValueFamily {
  const base = type.replace(/\[\]$/, '');
  if (/^(smallint|integer|bigint|real|double precision|numeric|money|oid)\b/.test(base)) return 'number';
  if (/^jsonb?$/.test(base)) return 'json';
  if (base === 'bytea') return 'bytes';
  if (/^(timestamp|time|date)\b/.test(base)) return 'datetime';
  return 'other';
}

function sameValue(expected: string, actual: string, type: string): boolean {
  switch (valueFamily(type)) {
    case 'number':
      return canonicalNumber(expected) === canonicalNumber(actual);
    case 'json':
      return canonicalJson(expected) === canonicalJson(actual);
    case 'bytes':
      // schema.prisma gives bytes in base64, PostgreSQL prints them as \x hex.
      return `\\x${Buffer.from(expected, 'base64').toString('hex')}` === actual.toLowerCase();
    default:
      return expected === actual;
  }
}

/** `1.50` → 1.5, `+007` → 7; exact for any number of digits. */
function canonicalNumber(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return String(Number(text));
  const integer = (match[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const negative = match[1] === '-' && (integer !== '0' || fraction !== '');
  return `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
}

/** JSON with object keys sorted: jsonb reorders keys, so order must not count. */
function canonicalJson(text: string): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  };
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

const normaliseSql = (sql: string) => sql.replace(/\s+/g, ' ').trim().toLowerCase();

/** A schema-side default as the SQL PostgreSQL would print, for messages. */
function renderDefault(columnDefault: ColumnDefault, type: string): string {
  const elementType = type.replace(/\[\]$/, '');
  const bare = valueFamily(elementType) === 'number' || elementType === 'boolean';
  const text = (value: string) => (elementType === 'bytea' ? `\\x${Buffer.from(value, 'base64').toString('hex')}` : value);
  const quote = (value: string) => (bare ? value : `'${text(value).replaceAll("'", "''")}'`);
  switch (columnDefault.kind) {
    case 'none':
      return 'none';
    case 'any':
      return 'any dbgenerated() default';
    case 'sequence':
      return 'autoincrement() (a nextval() sequence or identity column)';
    case 'now':
      return 'CURRENT_TIMESTAMP';
    case 'expression':
      return columnDefault.sql;
    case 'literal':
      return bare ? columnDefault.value : `${quote(columnDefault.value)}::${elementType}`;
    case 'list':
      return `ARRAY[${columnDefault.values.map(quote).join(', ')}]::${type}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The diff.

const EXPECTS = 'schema.prisma expects';

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
        ...(!missing.length && !extra.length ? ['order differs'] : []),
      ];
      differences.push(`${label}: values differ (${details.join('; ')}) — ${EXPECTS} ${list(values)}, database has ${list(found)}`);
    }
  }
  for (const [name, values] of actual) {
    if (!expected.has(name)) {
      differences.push(`enum ${quoteIdentifier(name)}: extra type in the database (values ${list(values)}), schema.prisma has no such enum`);
    }
  }
  return differences;
}

function diffTables(expected: Map<string, Table>, actual: Map<string, Table>): string[] {
  const differences: string[] = [];
  for (const [name, table] of expected) {
    const found = actual.get(name);
    if (found) differences.push(...diffTable(table, found));
    else differences.push(`${name}: table missing — schema.prisma has model ${table.model ?? name}, database has no such table`);
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) differences.push(`${name}: extra table in the database, schema.prisma has no model for it`);
  }
  return differences;
}

function diffTable(expected: Table, actual: Table): string[] {
  return [
    ...diffColumns(expected, actual),
    ...diffPrimaryKey(expected, actual),
    ...diffConstraints(expected.name, 'index', expected.indexes, actual.indexes, sameIndex, describeIndex),
    ...diffConstraints(
      expected.name,
      'foreign key',
      expected.foreignKeys,
      actual.foreignKeys,
      (e, a) => describeForeignKey(e) === describeForeignKey(a),
      describeForeignKey,
    ),
  ];
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
    if (found.type !== column.type) {
      differences.push(`${label}: type differs — ${EXPECTS} ${column.type}, database has ${found.type}`);
    }
    if (found.notNull !== column.notNull) {
      differences.push(`${label}: nullability differs — ${EXPECTS} ${nullability(column)}, database has ${nullability(found)}`);
    }
    if (!defaultsMatch(column, found)) {
      differences.push(`${label}: default differs — ${EXPECTS} ${column.defaultText}, database has ${found.defaultText}`);
    }
  }
  for (const [name, column] of actual.columns) {
    if (!expected.columns.has(name)) {
      differences.push(`${expected.name}.${name}: extra column in the database (${describeColumn(column)}), schema.prisma has no field for it`);
    }
  }
  return differences;
}

function diffPrimaryKey(expected: Table, actual: Table): string[] {
  const describe = (key: Constraint | undefined) => (key ? `${key.name} (${key.columns.join(', ')})` : 'none');
  const [e, a] = [describe(expected.primaryKey), describe(actual.primaryKey)];
  return e === a ? [] : [`${expected.name}: primary key differs — ${EXPECTS} ${e}, database has ${a}`];
}

/**
 * Pairs constraints by name. An unpaired one with the same definition as an unpaired counterpart
 * is reported as a wrong name; the rest as missing or extra.
 */
function diffConstraints<T extends { name: string }>(
  table: string,
  kind: string,
  expected: T[],
  actual: T[],
  same: (expected: T, actual: T) => boolean,
  describe: (constraint: T) => string,
): string[] {
  const differences: string[] = [];
  const unpaired = new Map(actual.map((c) => [c.name, c]));
  for (const constraint of expected) {
    const found = unpaired.get(constraint.name);
    if (found) {
      unpaired.delete(found.name);
      if (!same(constraint, found)) {
        differences.push(`${table}: ${kind} ${constraint.name} differs — ${EXPECTS} ${describe(constraint)}, database has ${describe(found)}`);
      }
      continue;
    }
    const renamed = [...unpaired.values()].find((c) => same(constraint, c));
    if (renamed) {
      unpaired.delete(renamed.name);
      differences.push(`${table}: ${kind} ${renamed.name} is misnamed — ${EXPECTS} the name ${constraint.name} for ${describe(constraint)}`);
    } else {
      differences.push(`${table}: ${kind} ${constraint.name} missing — ${EXPECTS} ${describe(constraint)}, database has none`);
    }
  }
  for (const constraint of unpaired.values()) {
    differences.push(`${table}: extra ${kind} ${constraint.name} in the database (${describe(constraint)}), schema.prisma does not declare it`);
  }
  return differences;
}

function sameIndex(expected: Index, actual: Index): boolean {
  return (
    expected.unique === actual.unique &&
    expected.algorithm === actual.algorithm &&
    expected.predicate === actual.predicate &&
    expected.columns.length === actual.columns.length &&
    expected.columns.every((column, i) => {
      const other = actual.columns[i];
      if (!other || other.name !== column.name || other.descending !== column.descending) return false;
      // No `ops:` in schema.prisma means the type's default operator class.
      return column.opclass === undefined ? other.opclassIsDefault !== false : column.opclass === other.opclass;
    })
  );
}

function describeIndex(index: Index): string {
  const columns = index.columns.map((c) => {
    const opclass = c.opclass && c.opclassIsDefault !== true ? ` ${c.opclass}` : '';
    return `${c.name}${opclass}${c.descending ? ' DESC' : ''}`;
  });
  const using = index.algorithm === 'btree' ? '' : ` USING ${index.algorithm}`;
  const where = index.predicate ? ` WHERE ${index.predicate}` : '';
  return `${index.unique ? 'UNIQUE ' : ''}INDEX${using} (${columns.join(', ')})${where}`;
}

function describeForeignKey(key: ForeignKey): string {
  return (
    `FOREIGN KEY (${key.columns.join(', ')}) REFERENCES ${key.referencedTable}(${key.referencedColumns.join(', ')}) ` +
    `ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate}`
  );
}

function describeColumn(column: Column): string {
  const defaultText = column.default.kind === 'none' ? '' : ` DEFAULT ${column.defaultText}`;
  return `${column.type} ${nullability(column)}${defaultText}`;
}

const nullability = (column: Column) => (column.notNull ? 'NOT NULL' : 'NULL');

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
