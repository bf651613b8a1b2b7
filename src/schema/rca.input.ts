import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RcaSectionChangeKind, SectionVisibility } from './enums';
import { ConnectionType } from './connection';
import { RcaDocument, RcaVersion } from './rca.entity';

@InputType({ description: 'The incident whose RCA it is.' })
export class RcaIncidentInput {
  @Field(() => ID, { description: 'The incident.' })
  incidentId!: string;
}

@InputType({ description: 'A section to change or add, by key.' })
export class RcaSectionInput {
  @Field({ description: 'The section key (kebab-case, at most 100 characters); a new key appends a section.' })
  key!: string;

  @Field(() => String, { nullable: true, description: 'The heading, 1 to 200 characters; required for a new section.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'The Markdown body, at most 100,000 characters.' })
  body?: string | null;

  @Field(() => SectionVisibility, { nullable: true, description: 'PUBLIC or INTERNAL; a new section is INTERNAL unless it says otherwise.' })
  visibility?: SectionVisibility | null;
}

@InputType({ description: 'An edit of an RCA; an edit after publishing starts the next version as a DRAFT.' })
export class UpdateRcaInput {
  @Field(() => ID, { description: 'The incident whose RCA to edit.' })
  incidentId!: string;

  @Field(() => Int, { nullable: true, description: 'The revision the edit was made on; CONFLICT when the RCA has changed since.' })
  revision?: number | null;

  @Field(() => String, { nullable: true, description: 'A new title, 1 to 500 characters.' })
  title?: string | null;

  @Field(() => [RcaSectionInput], { nullable: true, description: 'Sections to change (by key) or add (new keys, appended).' })
  sections?: RcaSectionInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Keys of sections to remove.' })
  removeSectionKeys?: string[] | null;
}

@ObjectType({ description: 'The RCA after the change.' })
export class RcaPayload {
  @Field(() => RcaDocument, { description: 'The RCA, as it is now.' })
  rca!: RcaDocument;
}

@ObjectType({ description: 'How one section differs between two states of an RCA.' })
export class RcaSectionChange {
  @Field({ description: 'The section key.' })
  key!: string;

  @Field(() => RcaSectionChangeKind, { description: 'ADDED, REMOVED or CHANGED.' })
  change!: RcaSectionChangeKind;

  @Field(() => String, { nullable: true, description: 'The heading before; null when ADDED.' })
  titleFrom!: string | null;

  @Field(() => String, { nullable: true, description: 'The heading after; null when REMOVED.' })
  titleTo!: string | null;

  @Field(() => SectionVisibility, { nullable: true, description: 'Who could read it before; null when ADDED.' })
  visibilityFrom!: SectionVisibility | null;

  @Field(() => SectionVisibility, { nullable: true, description: 'Who may read it after; null when REMOVED.' })
  visibilityTo!: SectionVisibility | null;

  @Field({ description: 'A unified diff of the Markdown body; empty when the body is the same.' })
  bodyDiff!: string;
}

@ObjectType({ description: 'What changed between two states of an RCA, section by section (unchanged sections left out).' })
export class RcaComparison {
  @Field({ description: 'The title of the earlier state.' })
  titleFrom!: string;

  @Field({ description: 'The title of the later state.' })
  titleTo!: string;

  @Field(() => [RcaSectionChange], { description: 'The sections that differ, in the later order, removed ones last.' })
  sections!: RcaSectionChange[];
}

export const RcaVersionConnection = ConnectionType('RcaVersion', RcaVersion);
