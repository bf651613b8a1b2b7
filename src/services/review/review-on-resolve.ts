import { Resolution } from '../../schema/enums';
import { SYSTEM_ACTOR } from '../../shared/actor';
import type { IncidentLifecycleHooks } from '../incident.service';
import type { ReviewDrafter } from './review-draft';

/** Resolving opens the incident's IRF, drafted, in the same transaction; a false positive gets one only when asked for (openReview). */
export function reviewOnResolve(drafter: ReviewDrafter): IncidentLifecycleHooks {
  return {
    async opened() {},
    async attended(manager, incident, action) {
      if (action !== 'resolve' || incident.resolution === Resolution.FALSE_POSITIVE) return;
      await drafter.openIn(manager, SYSTEM_ACTOR, incident);
    },
  };
}
