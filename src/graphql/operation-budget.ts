import { GraphQLError, defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';

/** How long one operation may run: resolvers that start after the deadline fail instead of doing more work. */
export interface OperationBudget {
  readonly deadline: number;
  readonly timeoutMs: number;
}

export const UNLIMITED_BUDGET: OperationBudget = { deadline: Number.POSITIVE_INFINITY, timeoutMs: Number.POSITIVE_INFINITY };

export function operationBudget(timeoutMs: number, now = Date.now()): OperationBudget {
  return { deadline: now + timeoutMs, timeoutMs };
}

export function operationTimeout(budget: OperationBudget): GraphQLError {
  return new GraphQLError(`the operation ran past its time budget of ${budget.timeoutMs} ms; ask for less (a smaller page or range) and retry`, {
    extensions: { code: 'OPERATION_TIMEOUT', timeoutMs: budget.timeoutMs },
  });
}

/**
 * Makes every field resolver of the schema refuse to start once its operation's deadline has passed, so an
 * operation answered with OPERATION_TIMEOUT stops loading and computing instead of running on unseen.
 * The check is synchronous: fields stay as cheap as before.
 */
export function enforceOperationBudgets(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { budget?: OperationBudget } | undefined, info) => {
        const budget = context?.budget;
        if (budget && Date.now() > budget.deadline) throw operationTimeout(budget);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
