import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../schema/enums';
import { AddMitigationStepInput, PostStatusUpdateInput, UpdateMitigationStepInput } from '../schema/incident.input';
import { MitigationStep } from '../schema/mitigation-step.entity';
import { MitigationStepPayload, StatusUpdatePayload } from '../schema/payloads';
import { Task } from '../schema/task.entity';
import type { GraphQLContext } from './context';

@Resolver(() => MitigationStep)
export class MitigationResolver {
  @Authorized(Role.RESPONDER)
  @Mutation(() => MitigationStepPayload, {
    description:
      'Announce a mitigation step before it runs (PLANNED); a temporary step needs its long-term fix, created with it as a task. Role: RESPONDER. NOT_FOUND for an unknown incident; BAD_USER_INPUT for an empty or too long description or a temporary step without longTermFix.',
  })
  async addMitigationStep(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: AddMitigationStepInput): Promise<MitigationStepPayload> {
    return { mitigationStep: await services.mitigations.add(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MitigationStepPayload, {
    description:
      'Moves a step on: PLANNED → IN_PROGRESS, EFFECTIVE or NOT_EFFECTIVE; IN_PROGRESS → EFFECTIVE or NOT_EFFECTIVE. Role: RESPONDER. NOT_FOUND for an unknown step; CONFLICT for any other move (finished steps do not move again).',
  })
  async updateMitigationStep(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: UpdateMitigationStepInput): Promise<MitigationStepPayload> {
    return { mitigationStep: await services.mitigations.updateStatus(actor, input.id, input.status) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => StatusUpdatePayload, {
    description: 'Posts a status update on an incident for its audience; it is added to the timeline too. Role: RESPONDER. NOT_FOUND for an unknown incident; BAD_USER_INPUT when body is empty or over 10,000 characters.',
  })
  async postStatusUpdate(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: PostStatusUpdateInput): Promise<StatusUpdatePayload> {
    return { statusUpdate: await services.statusUpdates.post(actor, input.incidentId, input.body, input.audience) };
  }

  @FieldResolver(() => Task, { nullable: true, description: 'The long-term fix a temporary step requires (a task); null for a step with none.' })
  async longTermFix(@Root() step: MitigationStep, @Ctx() { loaders }: GraphQLContext): Promise<Task | null> {
    return step.longTermFixTaskId ? loaders.task.load(step.longTermFixTaskId) : null;
  }
}
