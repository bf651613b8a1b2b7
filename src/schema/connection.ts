import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../shared/page';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
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
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} (Relay connection).` })
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    countAll!: () => Promise<number>;

    @Field(() => Int, { description: 'All matching rows, across pages.' })
    totalCount(): Promise<number> {
      return this.countAll();
    }
  }
  return ConnectionClass;
}

export function toConnection<T extends object>(type: ClassType<Connection<T>>, page: Page<T>): Connection<T> {
  const connection = new type();
  connection.edges = page.nodes.map((node, index) => ({ node, cursor: page.cursors[index] }));
  connection.pageInfo = { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null };
  connection.countAll = page.totalCount;
  return connection;
}
