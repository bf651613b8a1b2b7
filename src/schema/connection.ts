import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../shared/page';

@ObjectType({
  description:
    'Where a page sits in its list (Relay Cursor Connections spec). Lists page forward only: pass endCursor as `after` to get the next page.',
})
export class PageInfo {
  @Field({
    description:
      'Whether rows were asked for before this page: true when an `after` cursor was given. Lists page forward only (no `last`/`before`), which the Relay spec allows to answer this way.',
  })
  hasPreviousPage!: boolean;

  @Field({ description: 'Whether more rows follow this page; if so, pass endCursor as `after` to get them.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null when the page is empty." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "The last edge's cursor, to pass as `after` for the next page; null when the page is empty." })
  endCursor!: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  countAll: () => Promise<number>;
  totalCount(): Promise<number>;
}

/** A Relay connection type for `node` (edges, pageInfo, totalCount counted only when asked for). */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque; pass it as `after` to get the rows after this one.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} (Relay connection).` })
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge], { description: 'The rows of this page, in the list\'s order.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Where this page sits: its cursors and whether more rows follow.' })
    pageInfo!: PageInfo;

    countAll!: () => Promise<number>;

    @Field(() => Int, { description: 'All rows matching the filter, across pages (counted only when asked for).' })
    totalCount(): Promise<number> {
      return this.countAll();
    }
  }
  return ConnectionClass;
}

/** `args` are the page arguments the list was asked with: forward-only lists have rows before the page exactly when `after` was given. */
export function toConnection<T extends object>(type: ClassType<Connection<T>>, page: Page<T>, args: { after?: string | null }): Connection<T> {
  const connection = new type();
  connection.edges = page.nodes.map((node, index) => ({ node, cursor: page.cursors[index] }));
  connection.pageInfo = {
    hasPreviousPage: Boolean(args.after),
    hasNextPage: page.hasNextPage,
    startCursor: page.cursors[0] ?? null,
    endCursor: page.cursors.at(-1) ?? null,
  };
  connection.countAll = page.totalCount;
  return connection;
}
