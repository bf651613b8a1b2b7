import { Field, ID, InputType } from 'type-graphql';
import { Priority, TaskStatus } from './enums';

@InputType({ description: 'The task that makes a temporary mitigation unnecessary.' })
export class LongTermFixInput {
  @Field({ description: 'What is to be done, 1 to 500 characters.' })
  title!: string;

  @Field(() => ID, { nullable: true, description: 'Who is to do it (a person id); nobody when not given.' })
  ownerId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it should be done by (UTC); no date when not given.' })
  dueAt?: Date | null;

  @Field(() => Priority, { nullable: true, description: 'How urgent it is; P3 when not given.' })
  priority?: Priority | null;

  @Field(() => String, { nullable: true, description: 'More about the task, at most 20,000 characters.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'A link to the work elsewhere, e.g. the ticket: an http or https URL of at most 2,000 characters.' })
  externalUrl?: string | null;
}

@InputType({ description: 'A task to create: a preventive action, or any follow-up work.' })
export class CreateTaskInput extends LongTermFixInput {
  @Field(() => ID, { nullable: true, description: "The incident it follows up; when the incident has a review, the task becomes one of the review's preventive actions." })
  incidentId?: string | null;

  @Field(() => ID, { nullable: true, description: "The cause the task addresses: one of the causes of the incident's review (needs incidentId)." })
  causeId?: string | null;
}

@InputType({ description: 'The fields of a task to change; fields not given stay, null clears the optional ones.' })
export class UpdateTaskInput {
  @Field(() => ID, { description: "The task's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: 'What is to be done, 1 to 500 characters.' })
  title?: string | null;

  @Field(() => ID, { nullable: true, description: 'Who is to do it (a person id); null: nobody.' })
  ownerId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it should be done by (UTC); null: no date.' })
  dueAt?: Date | null;

  @Field(() => Priority, { nullable: true, description: 'How urgent it is.' })
  priority?: Priority | null;

  @Field(() => String, { nullable: true, description: 'More about the task, at most 20,000 characters; null clears it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'A link to the work elsewhere (http or https, at most 2,000 characters); null clears it.' })
  externalUrl?: string | null;

  @Field(() => ID, { nullable: true, description: "The cause of the incident's review the task addresses; null clears it." })
  causeId?: string | null;

  @Field(() => TaskStatus, { nullable: true, description: 'The new status: DONE records completedAt; WONT_DO needs statusReason; OPEN or IN_PROGRESS after DONE/WONT_DO reopens it (clearing both).' })
  status?: TaskStatus | null;

  @Field(() => String, { nullable: true, description: 'Why it will not be done (required with WONT_DO), or a note on how it was done (DONE); at most 2,000 characters.' })
  statusReason?: string | null;
}

@InputType({ description: 'Which tasks to list; every field given narrows the list.' })
export class TaskFilter {
  @Field(() => [TaskStatus], { nullable: true, description: 'Tasks in any of these statuses; an empty list filters nothing.' })
  status?: TaskStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Tasks this person owns.' })
  ownerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only open (OPEN, IN_PROGRESS) tasks whose due date has passed; false: only the others.' })
  overdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Tasks of this incident.' })
  incidentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Tasks of incidents of this service.' })
  serviceId?: string | null;
}
