import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ApiToken } from '../schema/api-token.entity';
import { CreateApiTokenInput, RevokeApiTokenInput, UpdateApiTokenInput } from '../schema/catalog.input';
import { Role } from '../schema/enums';
import { ApiTokenPayload, CreateApiTokenPayload, Viewer } from '../schema/payloads';
import type { GraphQLContext } from './context';

@Resolver()
export class ApiTokenResolver {
  @Authorized(Role.VIEWER)
  @Query(() => Viewer, { description: 'The caller: its token, role and the person it acts for. Role: VIEWER.' })
  async me(@Ctx() { actor, loaders }: GraphQLContext): Promise<Viewer> {
    return {
      tokenId: actor.id,
      name: actor.name,
      role: actor.role ?? Role.VIEWER,
      person: actor.personId ? await loaders.person.load(actor.personId) : null,
    };
  }

  @Authorized(Role.ADMIN)
  @Query(() => [ApiToken], { description: 'API tokens, newest first (at most 1,000), revoked and expired ones included; never their secrets. Role: ADMIN.' })
  apiTokens(@Ctx() { services }: GraphQLContext): Promise<ApiToken[]> {
    return services.tokens.list();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreateApiTokenPayload, {
    description:
      'A new API token with a role, optionally acting for a person and optionally expiring; its secret is in the answer and never again (stored as SHA-256). Role: ADMIN. BAD_USER_INPUT for an empty name, a malformed personId or an expiresAt not in the future.',
  })
  createApiToken(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    return services.tokens.create(input, undefined, audit);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiTokenPayload, { description: 'Renames a token or changes its role or expiry; the last ADMIN token that never expires cannot be demoted or given an expiry. Open WebSocket connections of a token that gets another role are closed with 4403. Role: ADMIN. NOT_FOUND for an unknown id; CONFLICT for a revoked token or the last such ADMIN token; BAD_USER_INPUT for expiresAt with clearExpiry or an expiresAt not in the future.' })
  async updateApiToken(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdateApiTokenInput): Promise<ApiTokenPayload> {
    return { token: await services.tokens.update(id, patch, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiTokenPayload, { description: 'Stops a token at once, on open WebSocket connections too (closed with 4403); the last ADMIN token that never expires cannot be revoked. Role: ADMIN. NOT_FOUND for an unknown id; CONFLICT when it is already revoked or is that last ADMIN token.' })
  async revokeApiToken(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RevokeApiTokenInput): Promise<ApiTokenPayload> {
    return { token: await services.tokens.revoke(input.id, audit) };
  }
}
