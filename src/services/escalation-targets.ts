import type { EntityManager } from 'typeorm';
import { EscalationTargetType } from '../schema/enums';
import type { EscalationStep } from '../schema/escalation-policy.entity';
import type { OnCallLookup } from './escalation.service';
import { TeamService } from './team.service';

/** The steps of the escalation policy a service uses now; none when it has no policy. */
export async function serviceEscalationSteps(manager: EntityManager, serviceId: string): Promise<EscalationStep[]> {
  const [policy]: Array<{ steps: EscalationStep[] }> = await manager.query(
    `SELECT p.steps FROM service s JOIN escalation_policy p ON p.id = s.escalation_policy_id WHERE s.id = $1`,
    [serviceId],
  );
  return policy?.steps ?? [];
}

/** The people a step reaches at `at`: its people, its teams' members, whoever is on call on its schedules (backups if it says so). */
export async function peopleOfStep(manager: EntityManager, step: EscalationStep, at: Date, onCall: OnCallLookup): Promise<string[]> {
  const people: string[] = [];
  for (const target of step.targets) {
    if (target.type === EscalationTargetType.PERSON) people.push(target.id);
    else if (target.type === EscalationTargetType.TEAM) people.push(...(await TeamService.memberIdsIn(manager, target.id)));
    else {
      const { primary, backups } = await onCall.whoIsOnCallIn(manager, target.id, at);
      people.push(...primary, ...(target.includeBackups ? backups : []));
    }
  }
  return [...new Set(people)];
}

/** Who a reminder or escalation reached: people, and the escalation step they came from (null: chosen otherwise, e.g. the incident owner). */
export interface StepRecipients {
  personIds: string[];
  step: number | null;
}

/** The first step of a service's escalation policy, from `from` on, that reaches somebody not `excluded` at `now`. */
export async function firstStepReaching(manager: EntityManager, onCall: OnCallLookup, serviceId: string, from: number, excluded: readonly string[], now: Date): Promise<StepRecipients> {
  const steps = await serviceEscalationSteps(manager, serviceId);
  for (let step = from; step < steps.length; step += 1) {
    const people = (await peopleOfStep(manager, steps[step], now, onCall)).filter((id) => !excluded.includes(id));
    if (people.length) return { personIds: people, step };
  }
  return { personIds: [], step: null };
}
