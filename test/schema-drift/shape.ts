/**
 * The one shape the schema-drift check describes both sides in: what prisma/schema.prisma declares
 * (prisma.ts) and what a PostgreSQL database has (database.ts). diff.ts compares two of them and
 * knows nothing of where they came from.
 */
export interface SchemaShape {
  /** Enum type name → its values in order. */
  enums: Map<string, string[]>;
  tables: Map<string, Table>;
}

export interface Table {
  name: string;
  /** The Prisma model it comes from, for messages (schema side only). */
  model?: string;
  columns: Map<string, Column>;
  primaryKey?: Constraint;
  indexes: Index[];
  foreignKeys: ForeignKey[];
}

export interface Column {
  name: string;
  /** `Model.field` it comes from, for messages (schema side only). */
  field?: string;
  /** As PostgreSQL's format_type() prints it: `character varying(63)`, `"PlatformRole"[]`. */
  type: string;
  notNull: boolean;
  default: ColumnDefault;
  /** The default as SQL, for messages: `'provisioning'::"TenantStatus"`, or `none`. */
  defaultText: string;
}

/** A column default read back from its SQL, so that `0` and `'0'::bigint` are the same default. */
export type ColumnDefault =
  | { kind: 'none' }
  /** autoincrement(): a nextval() sequence. */
  | { kind: 'sequence' }
  /** now(): CURRENT_TIMESTAMP. */
  | { kind: 'now' }
  /** A literal, without its quotes and cast. */
  | { kind: 'literal'; value: string }
  /** A list of literals (`@default([])`). */
  | { kind: 'list'; values: string[] }
  /** Any other SQL (database side only: the schema declares no such default). */
  | { kind: 'expression' };

export interface Constraint {
  name: string;
  columns: string[];
}

export interface Index extends Constraint {
  unique: boolean;
  /**
   * Database side: the index's definition when it is more than a btree over plain columns (another
   * access method, DESC, an operator class, an expression, INCLUDE or WHERE). schema.prisma declares
   * no such index, so one always differs from what it expects.
   */
  beyondPlain?: string;
}

export interface ForeignKey extends Constraint {
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

/** An identifier as PostgreSQL prints it: bare when lower case, else in double quotes. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
