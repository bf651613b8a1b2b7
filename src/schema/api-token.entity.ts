import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './enums';

@ObjectType({ description: 'An API credential. The secret is shown once, at creation; only its SHA-256 is stored.' })
@Entity('api_token')
export class ApiToken {
  @Field(() => ID, { description: "The token's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'What the token is for, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field(() => Role, { description: 'What the token may do: VIEWER < RESPONDER < ANALYST < ADMIN.' })
  @Column('text')
  role!: Role;

  @Column('text', { name: 'secret_hash', select: false })
  secretHash!: string;

  @Column('uuid', { name: 'person_id', nullable: true })
  personId!: string | null;

  @Field({ description: 'When the token was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the token last authenticated (UTC), to within a minute; null if never.' })
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked (UTC); null while it is not.' })
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'After this instant the token no longer authenticates; null: never expires.' })
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its name, role or expiry last changed.' })
  @Column('timestamptz', { name: 'updated_at', nullable: true })
  updatedAt!: Date | null;
}
