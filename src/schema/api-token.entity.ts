import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './enums';

@ObjectType({ description: 'An API credential. The secret is shown once, at creation; only its SHA-256 is stored.' })
@Entity('api_token')
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => Role)
  @Column('text')
  role!: Role;

  @Column('text', { name: 'secret_hash', select: false })
  secretHash!: string;

  @Column('uuid', { name: 'person_id', nullable: true })
  personId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'After this instant the token no longer authenticates; null: never expires.' })
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its name, role or expiry last changed.' })
  @Column('timestamptz', { name: 'updated_at', nullable: true })
  updatedAt!: Date | null;
}
