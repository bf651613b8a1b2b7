import { Field, Int, ObjectType } from 'type-graphql';
import { Incident } from './incident.entity';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class IncidentEdge {
  @Field()
  cursor!: string;

  @Field(() => Incident)
  node!: Incident;
}

@ObjectType({ description: 'A page of incidents (Relay connection).' })
export class IncidentConnection {
  @Field(() => [IncidentEdge])
  edges!: IncidentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counted only when asked for. */
  countAll!: () => Promise<number>;

  @Field(() => Int, { description: 'All incidents matching the filter, across pages.' })
  totalCount(): Promise<number> {
    return this.countAll();
  }
}
