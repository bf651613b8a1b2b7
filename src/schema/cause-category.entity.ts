import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A category review causes are filed under; ADMINs edit the list (archived ones stay on the causes that named them).' })
@Entity('cause_category')
export class CauseCategory {
  @Field(() => ID, { description: "The category's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Its name, unique regardless of case; 1 to 100 characters.' })
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'What belongs in it; null when not described.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'Where it sits in the list (ascending).' })
  @Column('integer')
  position!: number;

  @Field({ description: 'Archived: no new cause may name it; causes that did keep it.' })
  @Column('boolean')
  archived!: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
