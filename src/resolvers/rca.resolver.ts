import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { RcaDocument, RcaSection, RcaVersion } from '../schema/rca.entity';
import { RcaComparison, RcaIncidentInput, RcaPayload, RcaVersionConnection, UpdateRcaInput } from '../schema/rca.input';
import { markdownToSafeHtml } from '../shared/markdown';
import type { RcaWithSections } from '../services/review/rca.service';
import { pageComplexity } from './complexity';
import { ConnectionArgs } from './connection-args';
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
  async generateRca(@Ctx() { services, actor, loaders }: GraphQLContext, @Arg('input', { description: INPUT }) input: RcaIncidentInput): Promise<RcaPayload> {
    return payloadOf(loaders, await services.rcas.generate(actor, input.incidentId));
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => RcaPayload, { description: `Edits the RCA's title and sections; editing a PUBLISHED RCA starts the next version as a DRAFT (the published one stays public). Role: RESPONDER. CONFLICT for a stale revision; ${ERRORS}` })
  async updateRca(@Ctx() { services, actor, loaders }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateRcaInput): Promise<RcaPayload> {
    return payloadOf(loaders, await services.rcas.update(actor, input));
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => RcaPayload, { description: `Submits the RCA for publication: DRAFT → IN_REVIEW. Role: RESPONDER. ${ERRORS}` })
  async submitRca(@Ctx() { services, actor, loaders }: GraphQLContext, @Arg('input', { description: INPUT }) input: RcaIncidentInput): Promise<RcaPayload> {
    return payloadOf(loaders, await services.rcas.submit(actor, input.incidentId));
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => RcaPayload, { description: `Publishes the RCA: IN_REVIEW → PUBLISHED, frozen as the next version; its PUBLIC sections go on the public view linked from the status page; the follow-up stops. Role: ANALYST. ${ERRORS}` })
  async publishRca(@Ctx() { services, actor, loaders }: GraphQLContext, @Arg('input', { description: INPUT }) input: RcaIncidentInput): Promise<RcaPayload> {
    return payloadOf(loaders, await services.rcas.publish(actor, input.incidentId));
  }

  @Authorized(Role.VIEWER)
  @Query(() => RcaVersionConnection, { complexity: pageComplexity, description: "The incident's published RCA versions, newest first, a page at a time. Role: VIEWER. NOT_FOUND when it has no RCA." })
  async rcaVersions(
    @Ctx() { services }: GraphQLContext,
    @Arg('incidentId', () => ID, { description: 'The incident.' }) incidentId: string,
    @Args() page: ConnectionArgs,
  ): Promise<Connection<RcaVersion>> {
    return toConnection(RcaVersionConnection, await services.rcas.versions(incidentId, page), page);
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
  sections(@Root() rca: RcaDocument, @Ctx() { loaders }: GraphQLContext): Promise<RcaSection[]> {
    return loaders.rcaSections.load(rca.id) as Promise<RcaSection[]>;
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
  rca(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<RcaDocument | null> {
    return loaders.rca.load(incident.id);
  }
}

/** The sections just written are what later fields of the same operation read (a document may hold several mutations). */
function payloadOf(loaders: GraphQLContext['loaders'], { document, sections }: RcaWithSections): RcaPayload {
  loaders.rcaSections.clear(document.id).prime(document.id, sections.map((section) => ({ ...section, rcaId: document.id })));
  loaders.rca.clear(document.incidentId).prime(document.incidentId, document);
  return { rca: document };
}

export const RCA_RESOLVERS = [RcaResolver, RcaSectionResolver, IncidentRcaResolver];
