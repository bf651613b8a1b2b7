import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'Something users depend on; incidents are opened against a service.' })
@Entity('service')
export class Service {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field()
  @Column('text')
  slug!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field({ description: 'Shown on the public status page.' })
  @Column('boolean')
  public!: boolean;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Column('uuid', { name: 'escalation_policy_id', nullable: true })
  escalationPolicyId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
