import { ArgsType, Field, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/pagination';

/** `first` / `after` of a Relay connection; lists with a filter extend it. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); outside that is BAD_USER_INPUT naming \`first\`.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The previous page's pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`." })
  after?: string | null;
}
