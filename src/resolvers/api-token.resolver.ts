import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ApiToken } from '../schema/api-token.entity';
import { CreateApiTokenInput, RevokeApiTokenInput, UpdateApiTokenInput } from '../schema/catalog.input';
import { Role } from '../schema/enums';
import { ApiTokenPayload, CreateApiTokenPayload, Viewer } from '../schema/payloads';
import type { GraphQLContext } from './context';

@Resolver()
export class ApiTokenResolver {
  @Authorized(Role.VIEWER)
  @Query(() => Viewer, { description: 'The caller: its token, role and person.' })
  async me(@Ctx() { actor, loaders }: GraphQLContext): Promise<Viewer> {
    return {
      tokenId: actor.id,
      name: actor.name,
      role: actor.role ?? Role.VIEWER,
      person: actor.personId ? await loaders.person.load(actor.personId) : null,
    };
  }

  @Authorized(Role.ADMIN)
  @Query(() => [ApiToken])
  apiTokens(@Ctx() { services }: GraphQLContext): Promise<ApiToken[]> {
    return services.tokens.list();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreateApiTokenPayload)
  createApiToken(@Ctx() { services, audit }: GraphQLContext, @Arg('input') input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    return services.tokens.create(input, undefined, audit);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiTokenPayload, { description: 'Renames a token or changes its role or expiry; the last ADMIN token that never expires cannot be demoted or given an expiry.' })
  async updateApiToken(@Ctx() { services, audit }: GraphQLContext, @Arg('input') { id, ...patch }: UpdateApiTokenInput): Promise<ApiTokenPayload> {
    return { token: await services.tokens.update(id, patch, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiTokenPayload, { description: 'Stops a token at once, on open WebSocket connections too (closed with 4403); the last ADMIN token that never expires cannot be revoked.' })
  async revokeApiToken(@Ctx() { services, audit }: GraphQLContext, @Arg('input') input: RevokeApiTokenInput): Promise<ApiTokenPayload> {
    return { token: await services.tokens.revoke(input.id, audit) };
  }
}
