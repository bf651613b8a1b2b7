import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How the post-incident review is followed up: when the RCA (or the approved IRF) is due, and who an overdue one escalates to.' })
export class ReviewSettings {
  @Field(() => Int, { description: "Business days after the resolution day (in the maintenance calendar's zone) by whose end the RCA, or for an EXTERNAL-origin incident the approved IRF, is due; 1 to 60." })
  dueBusinessDays!: number;

  /** Resolved to `reviewer`. */
  reviewerId!: string | null;
}

@InputType({ description: 'The review settings to change; fields not given stay.' })
export class UpdateReviewSettingsInput {
  @Field(() => Int, { nullable: true, description: 'Business days after the resolution day the follow-up is due by, 1 to 60; applies to reviews opened from now on.' })
  dueBusinessDays?: number | null;

  @Field(() => ID, { nullable: true, description: 'The person an overdue follow-up escalates to (a person id); null clears it, and it escalates to the next step of the service’s escalation policy.' })
  reviewerId?: string | null;
}

@ObjectType({ description: 'The review settings as the mutation left them.' })
export class ReviewSettingsPayload {
  @Field(() => ReviewSettings, { description: 'The settings now in force.' })
  settings!: ReviewSettings;
}
