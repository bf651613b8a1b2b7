import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { RcaDocument, RcaSection, RcaVersion } from '../schema/rca.entity';
import { RcaComparison, RcaIncidentInput, RcaPayload, UpdateRcaInput } from '../schema/rca.input';
import { markdownToSafeHtml } from '../shared/markdown';
import type { GraphQLContext } from './context';

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field.';
const ERRORS = 'NOT_FOUND when the incident has no RCA; CONFLICT when the RCA is not in the status the step leaves from.';

@Resolver(() => RcaDocument)
export class RcaResolver {
  @Authorized(Role.RESPONDER)
  @Mutation(() => RcaPayload, {
    description:
      "Generates the RCA from the incident's IRF (IN_REVIEW or APPROVED) as Markdown sections in the reference structure, each PUBLIC or INTERNAL, as a DRAFT. Role: RESPONDER. CONFLICT when the incident originated outside our platform (origin EXTERNAL), its IRF is missing or DRAFT, or it has an RCA.",
  })
  async generateRca(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: RcaIncidentInput): Promise<RcaPayload> {
    return { rca: (await services.rcas.generate(actor, input.incidentId)).document };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => RcaPayload, { description: `Edits the RCA's title and sections; editing a PUBLISHED RCA starts the next version as a DRAFT (the published one stays public). Role: RESPONDER. CONFLICT for a stale revision; ${ERRORS}` })
  async updateRca(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateRcaInput): Promise<RcaPayload> {
    return { rca: (await services.rcas.update(actor, input)).document };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => RcaPayload, { description: `Submits the RCA for publication: DRAFT → IN_REVIEW. Role: RESPONDER. ${ERRORS}` })
  async submitRca(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: RcaIncidentInput): Promise<RcaPayload> {
    return { rca: (await services.rcas.submit(actor, input.incidentId)).document };
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => RcaPayload, { description: `Publishes the RCA: IN_REVIEW → PUBLISHED, frozen as the next version; its PUBLIC sections go on the public view linked from the status page; the follow-up stops. Role: ANALYST. ${ERRORS}` })
  async publishRca(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: RcaIncidentInput): Promise<RcaPayload> {
    return { rca: (await services.rcas.publish(actor, input.incidentId)).document };
  }

  @Authorized(Role.VIEWER)
  @Query(() => [RcaVersion], { description: "The incident's published RCA versions, newest first. Role: VIEWER. NOT_FOUND when it has no RCA." })
  rcaVersions(
    @Ctx() { services }: GraphQLContext,
    @Arg('incidentId', () => ID, { description: 'The incident.' }) incidentId: string,
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many (1 to 100).' }) first: number,
  ): Promise<RcaVersion[]> {
    return services.rcas.versions(incidentId, first);
  }

  @Authorized(Role.VIEWER)
  @Query(() => RcaComparison, { description: 'What changed from one published version to another, or to the current draft when `to` is not given. Role: VIEWER. NOT_FOUND for an RCA or version that does not exist.' })
  compareRcaVersions(
    @Ctx() { services }: GraphQLContext,
    @Arg('incidentId', () => ID, { description: 'The incident.' }) incidentId: string,
    @Arg('from', () => Int, { description: 'The earlier version.' }) from: number,
    @Arg('to', () => Int, { nullable: true, description: 'The later version; the current draft when not given.' }) to?: number | null,
  ): Promise<RcaComparison> {
    return services.rcas.compare(incidentId, from, to ?? null);
  }

  @FieldResolver(() => [RcaSection], { description: 'The current sections, in order (the draft of the next version after an edit of a published RCA).' })
  sections(@Root() rca: RcaDocument, @Ctx() { services }: GraphQLContext): Promise<RcaSection[]> {
    return services.rcas.sectionsOf(rca.id) as Promise<RcaSection[]>;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Where the public view of the latest published version is (its PUBLIC sections only), a path on this server; null until published.' })
  publicPath(@Root() rca: RcaDocument): string | null {
    return rca.publicId && rca.publishedVersion ? `/status/rca/${rca.publicId}` : null;
  }

  @FieldResolver(() => String, { description: 'The printable view with every section (GET with the same bearer token), a path on this server.' })
  printPath(@Root() rca: RcaDocument): string {
    return `/rca/${rca.incidentId}/print`;
  }
}

@Resolver(() => RcaSection)
export class RcaSectionResolver {
  @FieldResolver(() => String, { description: 'The body rendered to HTML by markdown-it and sanitized (no scripts, event handlers, styles or non-http(s) links).' })
  html(@Root() section: RcaSection): string {
    return markdownToSafeHtml(section.body);
  }
}

@Resolver(() => Incident)
export class IncidentRcaResolver {
  @FieldResolver(() => RcaDocument, { nullable: true, description: 'The Root Cause Analysis: null until generated (generateRca).' })
  async rca(@Root() incident: Incident, @Ctx() { services }: GraphQLContext): Promise<RcaDocument | null> {
    const [rca] = await services.rcas.byIncidentIds([incident.id]);
    return rca ?? null;
  }
}

export const RCA_RESOLVERS = [RcaResolver, RcaSectionResolver, IncidentRcaResolver];
