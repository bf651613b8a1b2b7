import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Team } from './team.entity';

@InputType()
export class CreateTeamInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [ID], { nullable: true })
  memberIds?: string[] | null;
}

@InputType()
export class UpdateTeamInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the members.' })
  memberIds?: string[] | null;
}

@ObjectType({ description: 'The team as the mutation left it.' })
export class TeamPayload {
  @Field(() => Team, { description: 'The team, after the change.' })
  team!: Team;
}
