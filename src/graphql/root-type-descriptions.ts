import type { GraphQLSchema } from 'graphql';

/** What holds for every operation, said once here instead of on each root field. */
const EVERY_OPERATION =
  'Every operation needs `Authorization: Bearer <API token>` (over WebSocket: `connectionParams.authorization`); each root field names the least role it needs (VIEWER < RESPONDER < ANALYST < ADMIN). ' +
  'Errors carry `extensions.code`: UNAUTHENTICATED (no, an unknown, a revoked or an expired token), FORBIDDEN (the role is too low), BAD_USER_INPUT (with `extensions.field` naming the argument or input field at fault), ' +
  'NOT_FOUND, CONFLICT, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, QUERY_TOO_DEEP, QUERY_TOO_MANY_ALIASES, QUERY_TOO_COMPLEX (the operation would cost more than allowed), ' +
  'OPERATION_TIMEOUT (ran past GRAPHQL_OPERATION_TIMEOUT_MS), TOO_MANY_AUTH_FAILURES, SERVICE_UNAVAILABLE (the database could not serve it: retry after the Retry-After seconds), and INTERNAL_SERVER_ERROR for anything unexpected (logged, no details). ' +
  'Times are UTC, ISO-8601.';

const DESCRIPTIONS = {
  Query: `Reads. ${EVERY_OPERATION} Lists are Relay connections paged forward with \`first\` (at most 100, default 20) and \`after\` (the previous page's pageInfo.endCursor), keyset-ordered so rows added while paging never shift a page.`,
  Mutation: `Changes, each in one database transaction: it happened in full or not at all. ${EVERY_OPERATION}`,
  Subscription: `Live changes over WebSocket (graphql-ws), each sent after its transaction committed; over HTTP a subscription is refused with BAD_REQUEST. ${EVERY_OPERATION} A subscription ends with SUBSCRIPTION_OVERFLOW when its client falls too far behind and with RESYNC_REQUIRED when missed changes cannot be replayed: re-query, then subscribe again.`,
} as const;

/** type-graphql cannot describe the root types, so the schema it built gets their descriptions here. */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (type && type.name in DESCRIPTIONS) type.description = DESCRIPTIONS[type.name as keyof typeof DESCRIPTIONS];
  }
  return schema;
}
