import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { Role, TaskKind } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { Person } from '../schema/person.entity';
import { Task } from '../schema/task.entity';
import { CreateTaskInput, TaskFilter, UpdateTaskInput } from '../schema/task.input';
import { TaskConnection, TaskPayload } from '../schema/task.payloads';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class TasksArgs extends ConnectionArgs {
  @Field(() => TaskFilter, { nullable: true, description: 'Only tasks matching every field given; all tasks without it.' })
  filter?: TaskFilter | null;
}

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).';

@Resolver(() => Task)
export class TaskResolver {
  @Authorized(Role.VIEWER)
  @Query(() => TaskConnection, {
    description:
      'Tasks by due date (those without one last), then id, a page at a time; `filter: {overdue: true}` is every open task past its due date. Role: VIEWER. BAD_USER_INPUT for an id in the filter that is not a UUID.',
    complexity: pageComplexity,
  })
  async tasks(@Ctx() { services }: GraphQLContext, @Args() args: TasksArgs): Promise<Connection<Task>> {
    return toConnection(TaskConnection, await services.tasks.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => TaskPayload, {
    description:
      "Creates an OPEN task; with an incident that has a review, it is one of the review's preventive actions. Role: RESPONDER. BAD_USER_INPUT naming the field for an empty or too long title, an unknown incident or owner, a URL that is not http(s), or a cause not of the incident's review.",
  })
  async createTask(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: CreateTaskInput): Promise<TaskPayload> {
    return { task: await services.tasks.create(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => TaskPayload, {
    description:
      'Changes the fields given, including the status: DONE records completedAt, WONT_DO needs statusReason, OPEN or IN_PROGRESS reopens. Role: RESPONDER. NOT_FOUND for an unknown task; BAD_USER_INPUT as for createTask, or naming statusReason for WONT_DO without one.',
  })
  async updateTask(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateTaskInput): Promise<TaskPayload> {
    return { task: await services.tasks.update(actor, input) };
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who is to get the task done; null when nobody is named.' })
  async owner(@Root() task: Task, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return task.ownerId ? loaders.person.load(task.ownerId) : null;
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'The incident the task follows up; null for a task of none.' })
  async incident(@Root() task: Task, @Ctx() { loaders }: GraphQLContext): Promise<Incident | null> {
    return task.incidentId ? loaders.incident.load(task.incidentId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether it is open (OPEN or IN_PROGRESS) and its due date has passed.' })
  overdue(@Root() task: Task, @Ctx() { services }: GraphQLContext): boolean {
    return services.tasks.isOverdue(task);
  }

  @FieldResolver(() => TaskKind, { description: 'LONG_TERM_FIX when a mitigation step names it as its long-term fix, else PREVENTIVE.' })
  async kind(@Root() task: Task, @Ctx() { loaders }: GraphQLContext): Promise<TaskKind> {
    return loaders.taskKind.load(task.id);
  }
}
