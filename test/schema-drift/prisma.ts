import { get_dmmf } from '@prisma/prisma-schema-wasm';
import {
  quoteIdentifier,
  type Column,
  type ColumnDefault,
  type ForeignKey,
  type Index,
  type ReferentialAction,
  type SchemaShape,
  type Table,
} from './shape';

/**
 * What prisma/schema.prisma declares, in the names and PostgreSQL types Prisma Migrate gives it,
 * read through the DMMF of Prisma's own schema parser (WASM): enums, tables, columns (type,
 * nullability, default), primary keys, unique and plain indexes, foreign keys, with Prisma's
 * default constraint names.
 *
 * Only what the portal's schema uses is translated. Anything else Prisma can declare (another
 * scalar or native type, a sorted, partial or non-btree index, a named foreign key, an implicit
 * many-to-many relation, dbgenerated()…) is refused with a message saying so, never passed over:
 * extend this file when schema.prisma starts to use one.
 */
export function schemaFromPrisma(schemaText: string): SchemaShape {
  refuseWhatTheDmmfLeavesOut(schemaText);
  const datamodel = parseDatamodel(schemaText);
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const enums = new Map(datamodel.enums.map((e) => [e.name, e]));
  refuseImplicitManyToMany(datamodel.models);

  const enumDbName = (name: string) => enums.get(name)?.dbName ?? name;
  const columnName = (model: DmmfModel, field: string) => model.fields.find((f) => f.name === field)?.dbName ?? field;

  function column(model: DmmfModel, field: DmmfField): Column {
    const base =
      field.kind === 'enum'
        ? quoteIdentifier(enumDbName(field.type))
        : field.nativeType
          ? nativeType(field, field.nativeType)
          : SCALAR_TYPES[field.type];
    if (base === undefined) unhandled(`the field type ${field.type} (${model.name}.${field.name})`);
    const type = field.isList ? `${base}[]` : base;
    const value = (v: DmmfScalar) =>
      field.kind === 'enum'
        ? (enums.get(field.type)?.values.find((e) => e.name === v)?.dbName ?? String(v))
        : String(v);
    const columnDefault = defaultOf(model, field, value);
    return {
      name: field.dbName ?? field.name,
      field: `${model.name}.${field.name}`,
      type,
      // Prisma creates scalar-list columns without NOT NULL, whatever the field says.
      notNull: field.isRequired && !field.isList,
      default: columnDefault,
      defaultText: defaultSql(columnDefault, type),
    };
  }

  function index(model: DmmfModel, declared: DmmfIndex): Index {
    const table = tableName(model);
    if (
      declared.type === 'fulltext' ||
      declared.algorithm !== undefined ||
      declared.fields.some((f) => Object.keys(f).some((key) => key !== 'name'))
    ) {
      unhandled(
        `an index with a sort order, length, operator class or access method (${model.name}: ${JSON.stringify(declared.fields)})`,
      );
    }
    const columns = declared.fields.map((f) => columnName(model, f.name));
    const unique = declared.type === 'unique';
    return {
      name: declared.dbName ?? constraintName(`${table}_${columns.join('_')}`, unique ? '_key' : '_idx'),
      unique,
      columns,
    };
  }

  function foreignKey(model: DmmfModel, field: DmmfField): ForeignKey {
    const referenced = models.get(field.type);
    if (!referenced) throw new Error(`schema.prisma: unknown model ${field.type}`);
    const columns = (field.relationFromFields ?? []).map((f) => columnName(model, f));
    return {
      name: constraintName(`${tableName(model)}_${columns.join('_')}`, '_fkey'),
      columns,
      referencedTable: tableName(referenced),
      referencedColumns: (field.relationToFields ?? []).map((f) => columnName(referenced, f)),
      // Prisma's defaults when the relation does not say.
      onDelete: referentialAction(field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')),
      onUpdate: referentialAction(field.relationOnUpdate ?? 'Cascade'),
    };
  }

  const tables = datamodel.models.map((model): Table => {
    const name = tableName(model);
    const declared = datamodel.indexes.filter((i) => i.model === model.name);
    const id = declared.find((i) => i.type === 'id');
    const columns = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => column(model, f));
    return {
      name,
      model: model.name,
      columns: new Map(columns.map((c) => [c.name, c])),
      primaryKey: id && {
        name: id.dbName ?? constraintName(name, '_pkey'),
        columns: id.fields.map((f) => columnName(model, f.name)),
      },
      indexes: declared.filter((i) => i.type !== 'id').map((i) => index(model, i)),
      foreignKeys: model.fields
        .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
        .map((f) => foreignKey(model, f)),
    };
  });
  return {
    enums: new Map(datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)])),
    tables: new Map(tables.map((t) => [t.name, t])),
  };
}

// ---------------------------------------------------------------------------------------------
// The DMMF, as far as it is read here.

type DmmfScalar = string | number | boolean;

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  default?: DmmfScalar | DmmfScalar[] | { name: string; args: DmmfScalar[] };
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

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string;
  algorithm?: string;
  fields: { name: string }[];
}

interface Datamodel {
  models: DmmfModel[];
  enums: { name: string; dbName?: string | null; values: { name: string; dbName: string | null }[] }[];
  indexes: DmmfIndex[];
}

function parseDatamodel(schemaText: string): Datamodel {
  try {
    return (JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as { datamodel: Datamodel }).datamodel;
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
}

function unhandled(what: string): never {
  throw new Error(`The schema-drift check does not handle ${what}; extend test/schema-drift/prisma.ts.`);
}

/**
 * The DMMF leaves out Unsupported("…") fields and @ignore'd fields and models, though Prisma
 * Migrate still creates them, and a foreign key's own name (`@relation(map: …)`).
 */
function refuseWhatTheDmmfLeavesOut(schemaText: string): void {
  const code = schemaText.replace(/\/\/.*$/gm, '');
  const construct = /\bUnsupported\(|@@?ignore\b|@relation\([^)]*\bmap\s*:/.exec(code)?.[0];
  if (construct) unhandled(`schemas that use ${construct}`);
}

/** A relation with a list on both sides and no `fields:` gets a join table this check does not describe. */
function refuseImplicitManyToMany(models: DmmfModel[]): void {
  const sides = models.flatMap((m) => m.fields).filter((f) => f.kind === 'object' && f.relationName);
  for (const field of sides) {
    const both = sides.filter((f) => f.relationName === field.relationName);
    if (both.every((f) => f.isList && !f.relationFromFields?.length))
      unhandled(`the implicit many-to-many relation ${field.relationName}`);
  }
}

const tableName = (model: DmmfModel) => model.dbName ?? model.name;

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
};

function nativeType(field: DmmfField, [name, args]: [string, string[]]): string {
  const size = args.length > 0 ? `(${args.join(',')})` : '';
  switch (name) {
    case 'Uuid':
      return 'uuid';
    case 'VarChar':
      return `character varying${size}`;
    case 'Char':
      return `character${size || '(1)'}`;
    case 'Timestamptz':
      return `timestamp${size} with time zone`;
    default:
      return unhandled(`the native type @db.${name} (${field.name})`);
  }
}

/** Literal defaults are compared as text: safe for these types only (PostgreSQL reprints the others). */
const LITERAL_DEFAULT_TYPES = new Set(['String', 'Boolean', 'Int', 'BigInt']);

function defaultOf(model: DmmfModel, field: DmmfField, value: (v: DmmfScalar) => string): ColumnDefault {
  const declared = field.default;
  if (declared === undefined) return { kind: 'none' };
  if (
    field.kind === 'scalar' &&
    !LITERAL_DEFAULT_TYPES.has(field.type) &&
    (Array.isArray(declared) || typeof declared !== 'object')
  ) {
    unhandled(`a literal default of a ${field.type} field (${model.name}.${field.name})`);
  }
  if (Array.isArray(declared)) return { kind: 'list', values: declared.map(value) };
  if (typeof declared !== 'object') return { kind: 'literal', value: value(declared) };
  switch (declared.name) {
    case 'autoincrement':
      return { kind: 'sequence' };
    case 'now':
      return { kind: 'now' };
    case 'uuid':
    case 'cuid':
    case 'nanoid':
    case 'ulid':
      // Made by Prisma Client: no database default.
      return { kind: 'none' };
    default:
      return unhandled(`the default ${declared.name}() (${model.name}.${field.name})`);
  }
}

/** A schema-side default as the SQL PostgreSQL would print, for messages. */
function defaultSql(columnDefault: ColumnDefault, type: string): string {
  const element = type.replace(/\[\]$/, '');
  const quoted = (v: string) => (/^(integer|bigint|boolean)$/.test(element) ? v : `'${v.replaceAll("'", "''")}'`);
  switch (columnDefault.kind) {
    case 'none':
    case 'expression':
      return 'none';
    case 'sequence':
      return 'autoincrement() (a nextval() sequence)';
    case 'now':
      return 'CURRENT_TIMESTAMP';
    case 'literal':
      return /^(integer|bigint|boolean)$/.test(element)
        ? columnDefault.value
        : `${quoted(columnDefault.value)}::${element}`;
    case 'list':
      return `ARRAY[${columnDefault.values.map(quoted).join(', ')}]::${type}`;
  }
}

function referentialAction(prismaAction: string): ReferentialAction {
  const actions: Record<string, ReferentialAction> = {
    Cascade: 'CASCADE',
    Restrict: 'RESTRICT',
    NoAction: 'NO ACTION',
    SetNull: 'SET NULL',
    SetDefault: 'SET DEFAULT',
  };
  return actions[prismaAction] ?? unhandled(`the referential action ${prismaAction}`);
}

/**
 * Prisma's default names (`<table>_pkey`, `<table>_<columns>_key|_idx|_fkey`), cut to PostgreSQL's
 * 63-byte identifier limit before the suffix, as Prisma does.
 */
function constraintName(base: string, suffix: string): string {
  let name = '';
  for (const char of base) {
    if (Buffer.byteLength(name + char) > 63 - suffix.length) break;
    name += char;
  }
  return name + suffix;
}
