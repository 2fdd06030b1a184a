import { describe, expect, it } from 'vitest';
import { diffSchemas } from './diff';
import type { Column, SchemaShape, Table } from './shape';

// Each kind of difference the check reports, on two small hand-made descriptions: what
// schema.prisma would declare (`declared`) and a database changed one way at a time.

const column = (name: string, type: string, options: Partial<Column> = {}): Column => ({
  name,
  type,
  notNull: true,
  default: { kind: 'none' },
  defaultText: 'none',
  ...options,
});

function table(
  name: string,
  model: string,
  columns: Column[],
  rest: Partial<Pick<Table, 'primaryKey' | 'indexes' | 'foreignKeys'>> = {},
): Table {
  return { name, model, columns: new Map(columns.map((c) => [c.name, c])), indexes: [], foreignKeys: [], ...rest };
}

function declared(): SchemaShape {
  const teams = table(
    'teams',
    'Team',
    [
      column('id', 'uuid', { field: 'Team.id' }),
      column('name', 'character varying(63)', { field: 'Team.name' }),
      column('status', '"Status"', {
        field: 'Team.status',
        default: { kind: 'literal', value: 'active' },
        defaultText: `'active'::"Status"`,
      }),
      column('created_at', 'timestamp(3) with time zone', {
        field: 'Team.createdAt',
        default: { kind: 'now' },
        defaultText: 'CURRENT_TIMESTAMP',
      }),
    ],
    {
      primaryKey: { name: 'teams_pkey', columns: ['id'] },
      indexes: [{ name: 'teams_name_key', unique: true, columns: ['name'] }],
    },
  );
  const members = table(
    'members',
    'Member',
    [
      column('team_id', 'uuid', { field: 'Member.teamId' }),
      column('nickname', 'text', { field: 'Member.nickname', notNull: false }),
    ],
    {
      indexes: [{ name: 'members_team_id_idx', unique: false, columns: ['team_id'] }],
      foreignKeys: [
        {
          name: 'members_team_id_fkey',
          columns: ['team_id'],
          referencedTable: 'teams',
          referencedColumns: ['id'],
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
      ],
    },
  );
  return {
    enums: new Map([['Status', ['active', 'archived']]]),
    tables: new Map([teams, members].map((t) => [t.name, t])),
  };
}

/** The database as schema.prisma declares it, then changed by `change`: the differences found. */
function driftAfter(change: (database: SchemaShape) => void): string[] {
  const database = declared();
  change(database);
  return diffSchemas(declared(), database);
}

const teams = (database: SchemaShape) => database.tables.get('teams')!;
const members = (database: SchemaShape) => database.tables.get('members')!;

describe('diffSchemas', () => {
  it('finds nothing when the database is as declared', () => {
    expect(driftAfter(() => {})).toEqual([]);
  });

  it('enums: missing, extra, values missing or extra, values in another order', () => {
    expect(driftAfter((d) => d.enums.delete('Status'))).toEqual([
      `enum "Status": missing — schema.prisma expects values 'active', 'archived', database has no such type`,
    ]);
    expect(driftAfter((d) => d.enums.set('Mood', ['calm']))).toEqual([
      `enum "Mood": extra type in the database (values 'calm'), schema.prisma has no such enum`,
    ]);
    expect(driftAfter((d) => d.enums.set('Status', ['active', 'deleted']))).toEqual([
      `enum "Status": values differ (missing 'archived'; extra 'deleted') — schema.prisma expects 'active', 'archived', database has 'active', 'deleted'`,
    ]);
    expect(driftAfter((d) => d.enums.set('Status', ['archived', 'active']))).toEqual([
      `enum "Status": values differ (order differs) — schema.prisma expects 'active', 'archived', database has 'archived', 'active'`,
    ]);
  });

  it('tables: missing, extra', () => {
    expect(driftAfter((d) => d.tables.delete('members'))).toEqual([
      'members: table missing — schema.prisma has model Member, database has no such table',
    ]);
    expect(driftAfter((d) => d.tables.set('notes', table('notes', 'Note', [column('id', 'uuid')])))).toEqual([
      'notes: extra table in the database, schema.prisma has no model for it',
    ]);
  });

  it('columns: missing, extra, another type, nullability', () => {
    expect(driftAfter((d) => members(d).columns.delete('nickname'))).toEqual([
      'members.nickname: column missing — schema.prisma has Member.nickname (text NULL), database has no such column',
    ]);
    expect(
      driftAfter((d) =>
        members(d).columns.set(
          'age',
          column('age', 'integer', { default: { kind: 'literal', value: '0' }, defaultText: '0' }),
        ),
      ),
    ).toEqual([
      'members.age: extra column in the database (integer NOT NULL DEFAULT 0), schema.prisma has no field for it',
    ]);
    expect(driftAfter((d) => teams(d).columns.set('name', column('name', 'text')))).toEqual([
      'teams.name: type differs — schema.prisma expects character varying(63), database has text',
    ]);
    expect(
      driftAfter((d) => {
        members(d).columns.get('nickname')!.notNull = true;
        members(d).columns.get('team_id')!.notNull = false;
      }),
    ).toEqual([
      'members.team_id: nullability differs — schema.prisma expects NOT NULL, database has NULL',
      'members.nickname: nullability differs — schema.prisma expects NULL, database has NOT NULL',
    ]);
  });

  it('defaults: another value, none, one where none is declared, an expression', () => {
    const setDefault = (d: SchemaShape, table: string, name: string, value: Pick<Column, 'default' | 'defaultText'>) =>
      Object.assign(d.tables.get(table)!.columns.get(name)!, value);
    expect(
      driftAfter((d) =>
        setDefault(d, 'teams', 'status', {
          default: { kind: 'literal', value: 'archived' },
          defaultText: `'archived'::"Status"`,
        }),
      ),
    ).toEqual([
      `teams.status: default differs — schema.prisma expects 'active'::"Status", database has 'archived'::"Status"`,
    ]);
    expect(
      driftAfter((d) => setDefault(d, 'teams', 'created_at', { default: { kind: 'none' }, defaultText: 'none' })),
    ).toEqual(['teams.created_at: default differs — schema.prisma expects CURRENT_TIMESTAMP, database has none']);
    expect(
      driftAfter((d) =>
        setDefault(d, 'members', 'nickname', { default: { kind: 'literal', value: '' }, defaultText: `''::text` }),
      ),
    ).toEqual([`members.nickname: default differs — schema.prisma expects none, database has ''::text`]);
    expect(
      driftAfter((d) =>
        setDefault(d, 'teams', 'id', { default: { kind: 'expression' }, defaultText: 'gen_random_uuid()' }),
      ),
    ).toEqual(['teams.id: default differs — schema.prisma expects none, database has gen_random_uuid()']);
  });

  it('primary keys: missing, on other columns, under another name', () => {
    expect(driftAfter((d) => delete teams(d).primaryKey)).toEqual([
      'teams: primary key differs — schema.prisma expects teams_pkey (id), database has none',
    ]);
    expect(driftAfter((d) => (teams(d).primaryKey = { name: 'teams_pkey', columns: ['id', 'name'] }))).toEqual([
      'teams: primary key differs — schema.prisma expects teams_pkey (id), database has teams_pkey (id, name)',
    ]);
    expect(driftAfter((d) => (members(d).primaryKey = { name: 'members_pkey', columns: ['team_id'] }))).toEqual([
      'members: primary key differs — schema.prisma expects none, database has members_pkey (team_id)',
    ]);
  });

  it('indexes: missing, extra, different, misnamed, more than a plain btree', () => {
    expect(driftAfter((d) => (members(d).indexes = []))).toEqual([
      'members: index members_team_id_idx missing — schema.prisma expects INDEX (team_id), database has none',
    ]);
    expect(
      driftAfter((d) =>
        members(d).indexes.push({ name: 'members_nickname_idx', unique: false, columns: ['nickname'] }),
      ),
    ).toEqual([
      'members: extra index members_nickname_idx in the database (INDEX (nickname)), schema.prisma does not declare it',
    ]);
    expect(
      driftAfter((d) => (teams(d).indexes = [{ name: 'teams_name_key', unique: false, columns: ['name'] }])),
    ).toEqual([
      'teams: index teams_name_key differs — schema.prisma expects UNIQUE INDEX (name), database has INDEX (name)',
    ]);
    expect(
      driftAfter((d) => (teams(d).indexes = [{ name: 'teams_name_unique', unique: true, columns: ['name'] }])),
    ).toEqual([
      'teams: index teams_name_unique is misnamed — schema.prisma expects the name teams_name_key for UNIQUE INDEX (name)',
    ]);
    expect(
      driftAfter(
        (d) =>
          (teams(d).indexes = [
            { name: 'teams_name_key', unique: true, columns: ['name'], beyondPlain: 'USING hash (name)' },
          ]),
      ),
    ).toEqual([
      'teams: index teams_name_key differs — schema.prisma expects UNIQUE INDEX (name), database has USING hash (name)',
    ]);
  });

  it('foreign keys: missing, another action, misnamed, extra', () => {
    const key = (d: SchemaShape) => members(d).foreignKeys[0]!;
    expect(driftAfter((d) => (members(d).foreignKeys = []))).toEqual([
      'members: foreign key members_team_id_fkey missing — schema.prisma expects FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE ON UPDATE CASCADE, database has none',
    ]);
    expect(driftAfter((d) => (key(d).onDelete = 'RESTRICT'))).toEqual([
      'members: foreign key members_team_id_fkey differs — schema.prisma expects FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE ON UPDATE CASCADE, database has FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE RESTRICT ON UPDATE CASCADE',
    ]);
    expect(driftAfter((d) => (key(d).name = 'members_team_fk'))).toEqual([
      'members: foreign key members_team_fk is misnamed — schema.prisma expects the name members_team_id_fkey for FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE ON UPDATE CASCADE',
    ]);
    expect(
      driftAfter((d) => members(d).foreignKeys.push({ ...key(d), name: 'members_extra_fkey', onUpdate: 'NO ACTION' })),
    ).toEqual([
      'members: extra foreign key members_extra_fkey in the database (FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE ON UPDATE NO ACTION), schema.prisma does not declare it',
    ]);
  });
});
