import { Field, ID, InputType } from 'type-graphql';
import { Role } from './enums';

@InputType()
export class CreateServiceInput {
  @Field()
  name!: string;

  @Field()
  slug!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  public?: boolean | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;
}

@InputType()
export class UpdateServiceInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  slug?: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  public?: boolean;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;
}

@InputType()
export class CreatePersonInput {
  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA zone; defaults to UTC.' })
  timeZone?: string | null;

  @Field(() => String, { nullable: true })
  orgRole?: string | null;
}

@InputType()
export class UpdatePersonInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  timeZone?: string;

  @Field(() => String, { nullable: true })
  orgRole?: string | null;
}

@InputType()
export class CreateApiTokenInput {
  @Field()
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true })
  personId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the token stops working; must be in the future. Default: never.' })
  expiresAt?: Date | null;
}

@InputType()
export class RevokeApiTokenInput {
  @Field(() => ID)
  id!: string;
}

@InputType({ description: 'Changes a token; open WebSocket connections of the token are closed (4403) so they reconnect with the change.' })
export class UpdateApiTokenInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => Date, { nullable: true, description: 'A future instant; null leaves it unchanged (see clearExpiry).' })
  expiresAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the token never expires.' })
  clearExpiry?: boolean | null;
}
