import { ActorType, Role } from './enums';

/** Who is doing something. Services take it explicitly and write it to the timeline. */
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string;
  /** Present for API tokens: what the caller may do. */
  role?: Role;
  /** The person behind the token, when it is linked to one. */
  personId?: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: ActorType.SYSTEM, id: null, name: 'incident-bridge' };
