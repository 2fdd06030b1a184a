import { describe, expect, it } from 'vitest';
import { schemaFromPrisma } from './prisma';

const HEADER = 'datasource db {\n  provider = "postgresql"\n}\n';

describe('schemaFromPrisma', () => {
  it('describes a model in the names, types, defaults and constraint names Prisma Migrate gives PostgreSQL', () => {
    const shape = schemaFromPrisma(`${HEADER}
enum Role {
  viewer
  platform_admin @map("platform-admin")
}
model Team {
  id        String   @id @default(uuid()) @db.Uuid
  name      String   @unique @db.VarChar(63)
  roles     Role[]   @default([])
  role      Role     @default(platform_admin)
  count     BigInt   @default(0)
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)
  members   Member[]
  @@map("teams")
}
model Member {
  id                                                            BigInt  @id @default(autoincrement())
  teamId                                                        String  @map("team_id") @db.Uuid
  aVeryLongFieldNameThatPushesTheIndexNamePastSixtyThreeBytesXX String?
  team                                                          Team    @relation(fields: [teamId], references: [id])
  @@index([teamId, aVeryLongFieldNameThatPushesTheIndexNamePastSixtyThreeBytesXX])
}`);
    expect(shape.enums).toEqual(new Map([['Role', ['viewer', 'platform-admin']]]));
    const teams = shape.tables.get('teams')!;
    expect([...teams.columns.values()].map((c) => [c.name, c.type, c.notNull, c.defaultText])).toEqual([
      ['id', 'uuid', true, 'none'],
      ['name', 'character varying(63)', true, 'none'],
      ['roles', '"Role"[]', false, 'ARRAY[]::"Role"[]'],
      ['role', '"Role"', true, `'platform-admin'::"Role"`],
      ['count', 'bigint', true, '0'],
      ['created_at', 'timestamp(3) with time zone', true, 'CURRENT_TIMESTAMP'],
    ]);
    expect(teams.primaryKey).toEqual({ name: 'teams_pkey', columns: ['id'] });
    expect(teams.indexes).toEqual([{ name: 'teams_name_key', unique: true, columns: ['name'] }]);
    const member = shape.tables.get('Member')!;
    expect(member.columns.get('id')!.default).toEqual({ kind: 'sequence' });
    // Cut to 63 bytes before the suffix, as Prisma does.
    expect(member.indexes[0]!.name).toBe('Member_team_id_aVeryLongFieldNameThatPushesTheIndexNamePast_idx');
    expect(member.indexes[0]!.name).toHaveLength(63);
    // A required relation without onDelete: Prisma's default, Restrict.
    expect(member.foreignKeys).toEqual([
      {
        name: 'Member_team_id_fkey',
        columns: ['team_id'],
        referencedTable: 'teams',
        referencedColumns: ['id'],
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
    ]);
  });

  it('refuses what it does not translate instead of passing over it', () => {
    const model = (body: string) => `${HEADER}model Thing {\n  id Int @id\n${body}\n}`;
    expect(() => schemaFromPrisma(model('  price Decimal'))).toThrow(/does not handle the field type Decimal/);
    expect(() => schemaFromPrisma(model('  at DateTime @db.Date'))).toThrow(/does not handle the native type @db.Date/);
    expect(() => schemaFromPrisma(model('  at DateTime\n  @@index([at(sort: Desc)])'))).toThrow(
      /does not handle an index with a sort order/,
    );
    expect(() => schemaFromPrisma(model('  data Json @default("{}")'))).toThrow(
      /does not handle a literal default of a Json field/,
    );
    expect(() => schemaFromPrisma(model('  code String @default(dbgenerated("gen_random_uuid()"))'))).toThrow(
      /does not handle the default dbgenerated\(\)/,
    );
    expect(() => schemaFromPrisma(model('  legacy Unsupported("circle")'))).toThrow(
      /does not handle schemas that use Unsupported\(/,
    );
    expect(() => schemaFromPrisma(model('  id2 Int oops'))).toThrow(/schema.prisma does not parse/);
  });
});
