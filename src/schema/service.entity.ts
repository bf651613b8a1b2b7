import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'Something users depend on; incidents are opened against a service.' })
@Entity('service')
export class Service {
  @Field(() => ID, { description: "The service's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field({ description: 'Unique short name in URLs: lower-case letters and digits separated by single hyphens, at most 100 characters.' })
  @Column('text')
  slug!: string;

  @Field(() => String, { nullable: true, description: 'What the service is; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field({ description: 'Shown on the public status page.' })
  @Column('boolean')
  public!: boolean;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Column('uuid', { name: 'escalation_policy_id', nullable: true })
  escalationPolicyId!: string | null;

  @Field({ description: 'When the service was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
