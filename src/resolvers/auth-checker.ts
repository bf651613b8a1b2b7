import type { AuthChecker } from 'type-graphql';
import { Role, roleAtLeast } from '../schema/enums';
import { DomainError, ErrorCode } from '../shared/domain-error';
import type { GraphQLContext } from './context';

/** `@Authorized(Role.X)` means "role X or above"; every operation already requires a valid token. */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  const role = context.actor?.role;
  if (!role) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'a valid API token is required');
  const required = roles[0] ?? Role.VIEWER;
  if (!roleAtLeast(role, required)) throw new DomainError(ErrorCode.FORBIDDEN, `this needs the ${required} role; the token has ${role}`);
  return true;
};
