import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../schema/enums';
import { AddMitigationStepInput, PostStatusUpdateInput, UpdateMitigationStepInput } from '../schema/incident.input';
import { MitigationStep } from '../schema/mitigation-step.entity';
import { MitigationStepPayload, StatusUpdatePayload } from '../schema/payloads';
import { Person } from '../schema/person.entity';
import { Task } from '../schema/task.entity';
import type { GraphQLContext } from './context';

@Resolver(() => MitigationStep)
export class MitigationResolver {
  @Authorized(Role.RESPONDER)
  @Mutation(() => MitigationStepPayload, { description: 'Announce a mitigation step before it runs.' })
  async addMitigationStep(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: AddMitigationStepInput): Promise<MitigationStepPayload> {
    return { mitigationStep: await services.mitigations.add(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MitigationStepPayload)
  async updateMitigationStep(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: UpdateMitigationStepInput): Promise<MitigationStepPayload> {
    return { mitigationStep: await services.mitigations.updateStatus(actor, input.id, input.status) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => StatusUpdatePayload)
  async postStatusUpdate(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: PostStatusUpdateInput): Promise<StatusUpdatePayload> {
    return { statusUpdate: await services.statusUpdates.post(actor, input.incidentId, input.body, input.audience) };
  }

  @FieldResolver(() => Task, { nullable: true, description: 'The long-term fix a temporary step requires.' })
  async longTermFix(@Root() step: MitigationStep, @Ctx() { loaders }: GraphQLContext): Promise<Task | null> {
    return step.longTermFixTaskId ? loaders.task.load(step.longTermFixTaskId) : null;
  }
}

@Resolver(() => Task)
export class TaskResolver {
  @FieldResolver(() => Person, { nullable: true })
  async owner(@Root() task: Task, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return task.ownerId ? loaders.person.load(task.ownerId) : null;
  }
}
