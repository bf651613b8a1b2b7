import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CauseCategory } from './cause-category.entity';
import { CauseKind, DetectionSource, ReviewOrigin } from './enums';
import { IncidentReview } from './incident-review.entity';

@InputType({ description: 'Open the IRF of a resolved incident by hand (e.g. one resolved as FALSE_POSITIVE).' })
export class OpenReviewInput {
  @Field(() => ID, { description: 'The incident (RESOLVED or REVIEWED).' })
  incidentId!: string;

  @Field(() => ReviewOrigin, { nullable: true, description: 'INTERNAL or EXTERNAL; without it EXTERNAL for PROVIDER incidents, else INTERNAL.' })
  origin?: ReviewOrigin | null;
}

@InputType({ description: 'The detection section; fields not given stay.' })
export class ReviewDetectionInput {
  @Field(() => DetectionSource, { nullable: true, description: 'How it was detected; null clears it.' })
  source?: DetectionSource | null;

  @Field(() => Date, { nullable: true, description: 'When the impact began (UTC): not in the future, not more than 30 days before the incident opened; null clears it.' })
  impactStartedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Notes, at most 20,000 characters; null clears them.' })
  notes?: string | null;
}

@InputType({ description: 'The mitigation section; fields not given stay.' })
export class ReviewMitigationInput {
  @Field(() => String, { nullable: true, description: 'What was done, at most 20,000 characters; null clears it.' })
  notes?: string | null;

  @Field(() => String, { nullable: true, description: 'What would have mitigated faster, at most 20,000 characters; null clears it.' })
  fasterMitigation?: string | null;
}

@InputType({ description: 'A cause; the list given replaces the causes.' })
export class ReviewCauseInput {
  @Field(() => ID, { nullable: true, description: 'An existing cause of this review to keep (tasks naming it stay linked); none: a new cause.' })
  id?: string | null;

  @Field(() => CauseKind, { description: 'ROOT or CONTRIBUTING.' })
  kind!: CauseKind;

  @Field(() => ID, { description: 'Its category; a new cause may not name an archived one.' })
  categoryId!: string;

  @Field({ description: 'What it was, 1 to 5,000 characters.' })
  description!: string;
}

@InputType({ description: 'The impact section; fields not given stay, lists replace.' })
export class ReviewImpactInput {
  @Field(() => String, { nullable: true, description: 'Customers affected, at most 20,000 characters.' })
  customers?: string | null;

  @Field(() => [String], { nullable: true, description: 'Products and interfaces: at most 50 entries of 200 characters.' })
  products?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Channels: at most 50 entries of 200 characters.' })
  channels?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Locations: at most 50 entries of 200 characters.' })
  locations?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The impact in words, at most 20,000 characters.' })
  description?: string | null;
}

@InputType({ description: 'The preventive actions section (tasks are created with createTask).' })
export class ReviewPreventiveInput {
  @Field(() => String, { nullable: true, description: 'Notes, at most 20,000 characters; null clears them.' })
  notes?: string | null;
}

@InputType({ description: 'An entry added to the IRF timeline afterwards.' })
export class ReviewTimelineEntryInput {
  @Field({ description: 'When it happened (UTC): not in the future, not more than 30 days before the incident opened.' })
  at!: Date;

  @Field({ description: 'What happened, 1 to 5,000 characters.' })
  message!: string;

  @Field(() => Boolean, { nullable: true, description: 'A key event (default false).' })
  pinned?: boolean | null;
}

@InputType({ description: 'Marks on the IRF timeline: pin key events, hide noise, add or remove entries.' })
export class ReviewTimelineInput {
  @Field(() => [ID], { nullable: true, description: "Incident timeline events to pin (unhides them)." })
  pin?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Timeline events to unpin.' })
  unpin?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Timeline events to hide (unpins them).' })
  hide?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Timeline events to show again.' })
  unhide?: string[] | null;

  @Field(() => [ReviewTimelineEntryInput], { nullable: true, description: 'Entries to add (at most 50 per call).' })
  addEntries?: ReviewTimelineEntryInput[] | null;

  @Field(() => [ID], { nullable: true, description: 'Added entries to remove.' })
  removeEntryIds?: string[] | null;
}

@InputType({ description: 'Exactly one section of an IRF to change (BAD_USER_INPUT naming the fields when none or several are given).' })
export class UpdateReviewSectionInput {
  @Field(() => ID, { description: 'The incident whose IRF to edit.' })
  incidentId!: string;

  @Field(() => Int, { nullable: true, description: 'The revision the edit was made on; CONFLICT when the IRF has changed since.' })
  revision?: number | null;

  @Field(() => String, { nullable: true, description: 'The summary, at most 20,000 characters; null clears it.' })
  summary?: string | null;

  @Field(() => ReviewDetectionInput, { nullable: true, description: 'The detection section.' })
  detection?: ReviewDetectionInput | null;

  @Field(() => ReviewMitigationInput, { nullable: true, description: 'The mitigation section.' })
  mitigation?: ReviewMitigationInput | null;

  @Field(() => [ReviewCauseInput], { nullable: true, description: 'The causes: replaces the list (at most 50).' })
  causes?: ReviewCauseInput[] | null;

  @Field(() => ReviewImpactInput, { nullable: true, description: 'The impact section.' })
  impact?: ReviewImpactInput | null;

  @Field(() => ReviewPreventiveInput, { nullable: true, description: 'The preventive actions section.' })
  preventiveActions?: ReviewPreventiveInput | null;

  @Field(() => String, { nullable: true, description: 'Lessons learned, at most 20,000 characters; null clears them.' })
  lessons?: string | null;

  @Field(() => ReviewTimelineInput, { nullable: true, description: 'Timeline marks and entries.' })
  timeline?: ReviewTimelineInput | null;

  @Field(() => String, { nullable: true, description: "The caller's own participant section, at most 20,000 characters; an empty string deletes it." })
  participantReview?: string | null;

  @Field(() => ReviewOrigin, { nullable: true, description: 'Where the incident originated (decides what the follow-up waits for).' })
  origin?: ReviewOrigin | null;
}

@InputType({ description: 'Which IRF a lifecycle step applies to.' })
export class ReviewIncidentInput {
  @Field(() => ID, { description: 'The incident whose IRF it is.' })
  incidentId!: string;
}

@InputType({ description: 'A new cause category.' })
export class CreateCauseCategoryInput {
  @Field({ description: 'Its name, 1 to 100 characters, unique regardless of case.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What belongs in it, at most 1,000 characters.' })
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'Where it sits; without it, last.' })
  position?: number | null;
}

@InputType({ description: 'Changes to a cause category; fields not given stay.' })
export class UpdateCauseCategoryInput {
  @Field(() => ID, { description: 'The category.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new name, 1 to 100 characters, unique regardless of case.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'What belongs in it, at most 1,000 characters; null clears it.' })
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'Where it sits.' })
  position?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Archive (no new causes) or restore it.' })
  archived?: boolean | null;
}

@ObjectType({ description: 'The IRF after the change.' })
export class ReviewPayload {
  @Field(() => IncidentReview, { description: 'The Incident Record File, as it is now.' })
  review!: IncidentReview;
}

@ObjectType({ description: 'The cause category after the change.' })
export class CauseCategoryPayload {
  @Field(() => CauseCategory, { description: 'The category, as it is now.' })
  causeCategory!: CauseCategory;
}
