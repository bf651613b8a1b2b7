import { GraphQLError, defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import type { OperationBudget } from '../resolvers/context';
import { WorkBudget } from '../shared/work-budget';

/** The budget of an operation being run: the pipeline ends it when the operation is answered or out of time. */
export interface RunningBudget extends OperationBudget {
  end(reason: Error): void;
}

/** For subscriptions: each event runs as long as it takes (it re-reads a few rows by id). */
export function unlimitedBudget(): RunningBudget {
  const controller = new AbortController();
  return {
    deadline: Number.POSITIVE_INFINITY,
    timeoutMs: Number.POSITIVE_INFINITY,
    signal: controller.signal,
    work: WorkBudget.unlimited(),
    end: (reason) => controller.abort(reason),
  };
}

export function operationBudget(timeoutMs: number, maxTimelinePieces: number, now = Date.now()): RunningBudget {
  const controller = new AbortController();
  return {
    deadline: now + timeoutMs,
    timeoutMs,
    signal: controller.signal,
    work: new WorkBudget(maxTimelinePieces, controller.signal),
    end: (reason) => controller.abort(reason),
  };
}

export function operationTimeout(budget: OperationBudget): GraphQLError {
  return new GraphQLError(`the operation ran past its time budget of ${budget.timeoutMs} ms; ask for less (a smaller page or range) and retry`, {
    extensions: { code: 'OPERATION_TIMEOUT', timeoutMs: budget.timeoutMs },
  });
}

/**
 * Makes every field resolver of the schema refuse to start once its operation is past its deadline or answered,
 * so an operation answered early (OPERATION_TIMEOUT, or a failed non-null root field) stops loading and computing
 * instead of running on unseen. The check is synchronous: fields stay as cheap as before.
 */
export function enforceOperationBudgets(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { budget?: OperationBudget } | undefined, info) => {
        const budget = context?.budget;
        if (budget && (budget.signal.aborted || Date.now() > budget.deadline)) throw Date.now() > budget.deadline ? operationTimeout(budget) : budget.signal.reason;
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
