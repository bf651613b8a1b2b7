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
}

@InputType()
export class RevokeApiTokenInput {
  @Field(() => ID)
  id!: string;
}
