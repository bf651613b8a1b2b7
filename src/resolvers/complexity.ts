import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/pagination';

/**
 * Field costs for the operation cost limit (see src/graphql/operation-cost.ts): what a field makes the
 * server do, in units of one plain field.
 */
interface CostArgs<A> {
  args: A;
  childComplexity: number;
}

/**
 * A page of `first` rows (`defaultSize` when not given) costs each row's selection. A negative `first`, which
 * the list will refuse, is charged as the largest page: the check runs before the refusal, and a negative size
 * must not make the rest of the operation free.
 */
export const pageComplexityWithDefault =
  (defaultSize: number) =>
  ({ args, childComplexity }: CostArgs<{ first?: number | null }>): number => {
    const first = args.first ?? defaultSize;
    const size = Number.isInteger(first) && first >= 0 ? first : MAX_PAGE_SIZE;
    return 1 + size * childComplexity;
  };

/** A Relay connection page: the list itself plus its page size times what each node asks for. */
export const pageComplexity = pageComplexityWithDefault(DEFAULT_PAGE_SIZE);

/** Rough pieces of a resolved on-call timeline per day (8-hour shifts make 3, restrictions cut more). */
const PIECES_PER_DAY = 4;
const DAY_MS = 86_400_000;

/** Resolving a schedule costs by the days it covers, each day producing a few pieces with their selection. */
export function costOfDays(days: number, childComplexity: number): number {
  return 10 + Math.ceil(Math.max(0, days)) * PIECES_PER_DAY * (1 + childComplexity);
}

/** A timeline over [from, to): charged by its range, so aliases over long ranges add up to what they cost. */
export const timelineComplexity = ({ args, childComplexity }: CostArgs<{ from?: Date | null; to?: Date | null }>): number => {
  const span = args.from instanceof Date && args.to instanceof Date ? (args.to.getTime() - args.from.getTime()) / DAY_MS : 0;
  return costOfDays(Number.isFinite(span) ? span : 0, childComplexity);
};
