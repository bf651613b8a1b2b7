import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Team } from './team.entity';

@InputType({ description: 'A new team.' })
export class CreateTeamInput {
  @Field({ description: 'A unique display name, 1 to 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the team does, at most 2,000 characters.' })
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Person ids of the members, at most 500; none when not given.' })
  memberIds?: string[] | null;
}

@InputType({ description: 'Which team changes, and the fields that change; fields not given stay.' })
export class UpdateTeamInput {
  @Field(() => ID, { description: "The team's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A unique display name, 1 to 200 characters. Unchanged when not given.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters; null clears it. Unchanged when not given.' })
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the members.' })
  memberIds?: string[] | null;
}

@ObjectType({ description: 'The team as the mutation left it.' })
export class TeamPayload {
  @Field(() => Team, { description: 'The team, after the change.' })
  team!: Team;
}
