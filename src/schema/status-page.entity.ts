import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { StatusPageKind } from './enums';
import { Service } from './service.entity';

@ObjectType({ description: 'A public status page: served without a token at /status/<slug> (HTML), /status/<slug>/api/v2/… (Statuspage-compatible JSON) and /status/<slug>/feed.atom|rss. The page with slug main is also served at /status.' })
@Entity('status_page')
export class StatusPage {
  @Field(() => ID, { description: "The page's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Unique short name in its URL: lower-case letters and digits separated by single hyphens, at most 100 characters.' })
  @Column('text')
  slug!: string;

  @Field({ description: 'The heading, 1 to 200 characters.' })
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true, description: 'A line under the heading, at most 5,000 characters; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field({ description: 'The IANA zone the page shows times and counts days (the 90-day history) in.' })
  @Column('text', { name: 'time_zone' })
  timeZone!: string;

  @Field(() => StatusPageKind, { description: 'SERVICES (our public services) or PROVIDERS (external connectivity).' })
  @Column('text')
  kind!: StatusPageKind;

  @Field({ description: 'When the page was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When its configuration last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A component a status page shows: a public service, in a group and an order.' })
export class StatusPageComponent {
  serviceId!: string;

  @Field(() => Service, { description: 'The public service shown.' })
  service?: Service;

  @Field(() => String, { nullable: true, description: 'The group it is shown in; null for ungrouped components.' })
  group!: string | null;

  @Field(() => Int, { description: 'Its place within its group (ascending), then by name.' })
  position!: number;

  @Field(() => String, { nullable: true, description: "PROVIDERS pages: whose component it is (shown with it); the service's name when null." })
  providerName!: string | null;

  @Field(() => String, { nullable: true, description: "PROVIDERS pages: a link to the provider's own status page; none when null." })
  providerUrl!: string | null;
}
