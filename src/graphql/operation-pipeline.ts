import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  createSourceEventStream,
  execute,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Logger } from 'pino';
import { createLoaders, type Loaders } from '../resolvers/loaders';
import type { GraphQLContext, ResolverServices } from '../resolvers/context';
import { cursorOfChange, type SubscriptionTopics } from '../db/changes';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Actor } from '../shared/actor';
import type { ChangeHub, ChangeStream } from '../shared/change-hub';
import { checkDocumentShape } from './document-shape';
import { createErrorFormatter } from './format-error';
import { operationBudget, operationTimeout, unlimitedBudget, type RunningBudget } from './operation-budget';
import { operationCost, tooComplex } from './operation-cost';

export interface OperationLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliasesPerField: number;
  maxComplexity: number;
  timeoutMs: number;
  /** Pieces of on-call timelines one operation may resolve (measured while running). */
  maxTimelinePieces: number;
  introspection: boolean;
}

export interface OperationRequest {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export type OperationPipeline = ReturnType<typeof createOperationPipeline>;

/**
 * The one way an operation is checked, run and answered, over HTTP and WebSocket alike: parse with a token
 * cap, check the document's shape (linear), graphql-js's rules, then the cost with the variables; run with a
 * time budget; format every error with the same formatter.
 */
export function createOperationPipeline(schema: GraphQLSchema, services: ResolverServices, changes: ChangeHub<SubscriptionTopics>, limits: OperationLimits, log: Logger) {
  const rules: readonly ValidationRule[] = limits.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  // Apollo hands the same DocumentNode back for a repeated query text, so its checks run once.
  const checkedDocuments = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  const formatError = createErrorFormatter(log);
  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error.toJSON(), error));
  // Subscription events read through loaders shared by every event that starts in the same tick of the event loop:
  // the subscribers one change wakes all start in it, so each table is read once for all of them (not once each).
  // Nothing is kept past the tick (no cache), so every event still shows the state when it is sent.
  let tickLoaders: Loaders | null = null;
  const loadersOfThisTick = (): Loaders => {
    if (!tickLoaders) {
      tickLoaders = createLoaders(services, { cache: false });
      setImmediate(() => (tickLoaders = null));
    }
    return tickLoaders;
  };
  // And subscriptions that would answer an event alike (the same operation, variables and caller) share one execution
  // of it for SHARED_EVENT_RESULT_MS: after a blip, a hundred dashboards replaying the cut's thousands of changes, each
  // from its own cursor and at its own pace, run each change once instead of once each. (An event re-reads current
  // rows either way; a shared answer is at most that much older than one read for the subscriber itself.)
  const sharedResults = new WeakMap<object, Map<string, { at: number; result: Promise<ExecutionResult> }>>();
  const eventResult = (payload: unknown, key: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return run();
    let byKey = sharedResults.get(payload);
    if (!byKey) sharedResults.set(payload, (byKey = new Map()));
    const now = Date.now();
    const shared = byKey.get(key);
    if (shared && now - shared.at < SHARED_EVENT_RESULT_MS) return shared.result;
    const result = run();
    byKey.set(key, { at: now, result });
    return result;
  };

  const compiledQueries = new CompiledQueries(schema);
  const documentErrors = (document: DocumentNode): readonly GraphQLError[] => {
    let errors = checkedDocuments.get(document);
    if (!errors) {
      // The shape check first: graphql-js's rules are only as cheap as the document they are given.
      const shape = checkDocumentShape(document, limits);
      // With introspection off, "did you mean" suggestions would spell out the schema as well.
      errors = shape.length ? shape : validate(schema, document, rules, { hideSuggestions: !limits.introspection }).map(asValidationError);
      checkedDocuments.set(document, errors);
    }
    return errors;
  };

  return {
    schema,
    formatError,
    parseOptions: { maxTokens: limits.maxTokens },

    /** Parses a document text (WebSocket; Apollo parses HTTP requests with `parseOptions`). */
    parse(source: string): DocumentNode | GraphQLError[] {
      try {
        return parse(source, { maxTokens: limits.maxTokens });
      } catch (error) {
        // Also a RangeError (call stack exhausted by deeply nested values): a refused document, as Apollo answers it.
        const { nodes, source: text, positions } = error instanceof GraphQLError ? error : {};
        return [new GraphQLError((error as Error).message, { nodes, source: text, positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
    },

    /** Errors that refuse the operation before it runs: its shape, graphql-js's rules, its cost. */
    check({ document, operationName, variables }: OperationRequest, transport: 'http' | 'websocket' = 'websocket'): readonly GraphQLError[] {
      const errors = documentErrors(document);
      if (errors.length) return errors;
      const operation = getOperationAST(document, operationName);
      if (!operation) return [new GraphQLError('the document names no operation to run (or several without operationName)', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
      if (operation.operation === 'subscription' && transport === 'http') {
        return [new GraphQLError('subscriptions run over WebSocket (graphql-transport-ws) at this same path, not over HTTP', { extensions: { code: 'BAD_REQUEST' } })];
      }
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 20 });
      // A variable of the wrong type is the caller's mistake, answered before anything runs (as Apollo does).
      if (coerced.errors) return coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
      try {
        const cost = operationCost(schema, document, operation, coerced.coerced);
        return cost <= limits.maxComplexity ? [] : [tooComplex(cost, limits.maxComplexity)];
      } catch (error) {
        // An argument that cannot be read (a bad literal) is reported the same way.
        if (error instanceof GraphQLError) return [new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } })];
        throw error;
      }
    },

    /**
     * What resolvers get for one operation of `actor` under `requestId`. A subscription runs unbounded; its events
     * read through the loaders of their tick instead of these (see `subscribe`).
     */
    context(actor: Actor, requestLog: Logger, requestId: string, subscription = false): GraphQLContext {
      const budget = subscription ? unlimitedBudget() : operationBudget(limits.timeoutMs, limits.maxTimelinePieces);
      return {
        actor,
        audit: { actor, requestId },
        services,
        loaders: createLoaders(services, { cache: !subscription, work: budget.work }),
        log: requestLog,
        budget,
        changes,
      };
    },

    /** Runs a checked query or mutation; past its budget it answers OPERATION_TIMEOUT and its resolvers stop starting. */
    async execute(args: ExecutionArgs & { contextValue: GraphQLContext }): Promise<ExecutionResult> {
      const budget = args.contextValue.budget as RunningBudget;
      const compiled = compiledQueries.for(args.document, args.operationName);
      const running = Promise.resolve(compiled ? compiled.query(args.rootValue, args.contextValue, args.variableValues) : execute(args));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<ExecutionResult>((resolve) => {
        timer = setTimeout(() => resolve({ data: null, errors: [operationTimeout(budget)] }), Math.max(0, budget.deadline - Date.now()));
      });
      try {
        return await Promise.race([running, timedOut]);
      } finally {
        clearTimeout(timer);
        // Answered: nothing still running for this operation may start more work (and nobody reads why).
        budget.end(ANSWERED);
      }
    },

    /**
     * Runs a checked subscription: every event is executed as graphql-js would, and carries the cursor to resume
     * after it (extensions.cursor, the number of the change it stems from). An event the database could not serve
     * ends the subscription with SERVICE_UNAVAILABLE.
     */
    async subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
      const source = await createSourceEventStream(args);
      if (!(Symbol.asyncIterator in source)) return source;
      const sameAnswerAs = sameAnswerKey(args);
      const takeWaiting = (max: number): unknown[] => (isChangeStream(source) ? source.takeWaiting(max) : []);
      const answer = (payload: unknown) =>
        eventResult(payload, sameAnswerAs, async () =>
          execute({ ...args, contextValue: { ...(args.contextValue as GraphQLContext), loaders: loadersOfThisTick() }, rootValue: payload }),
        );
      return (async function* events() {
        for await (const first of source) {
          // What already waits behind this change is answered with it: started in one tick, the events read their rows
          // through the same loaders (one statement per table for the lot), so catching up on a backlog after a blip
          // costs a round trip per batch rather than one per change.
          const batch = [first, ...takeWaiting(EVENT_BATCH - 1)];
          const results = batch.map(answer);
          for (const [index, payload] of batch.entries()) {
            const result = await results[index];
            // An event whose rows could not be read is not sent as an error and forgotten (a gap the client never
            // sees): the subscription ends with SERVICE_UNAVAILABLE, and the client resumes after its last cursor.
            const unavailable = result.errors?.find((error) => isDatabaseUnavailable(error.originalError));
            if (unavailable) throw unavailable.originalError;
            const seq = (payload as { seq?: number | null }).seq;
            yield typeof seq === 'number' ? { ...result, extensions: { ...result.extensions, cursor: cursorOfChange(seq) } } : result;
          }
        }
      })();
    },

    formatErrors,

    formatResult(result: ExecutionResult): FormattedExecutionResult {
      const { errors, ...rest } = result;
      return errors?.length ? { ...rest, errors: formatErrors(errors) } : rest;
    },
  };
}

/** At most this many waiting changes of one subscription are answered together. */
export const EVENT_BATCH = 100;

function isChangeStream(source: unknown): source is ChangeStream<unknown> {
  return typeof (source as Partial<ChangeStream<unknown>>).takeWaiting === 'function';
}

/** How long subscriptions that would answer one event alike reuse its answer (README: Subscriptions). */
export const SHARED_EVENT_RESULT_MS = 1000;

/** What decides a subscription event's answer besides the event: the operation, its variables and who asks. */
function sameAnswerKey(args: ExecutionArgs): string {
  const { actor } = args.contextValue as GraphQLContext;
  return JSON.stringify([print(args.document), args.operationName ?? null, args.variableValues ?? null, actor.type, actor.id, actor.role ?? null]);
}

/**
 * graphql-jit compiles an operation into a function that runs it with the same schema, resolvers (the budget
 * wrapper included) and error semantics, without graphql-js's per-field interpretation: the incident list (2,400
 * fields) answers ~30 % more requests per second. Compiling costs more than one interpreted run, so an operation
 * is compiled on its second run: a document seen once, or a flood of unique ones, never pays for it. Keyed by the
 * parsed document, which Apollo hands back for a repeated query text; a WebSocket operation is parsed anew and so
 * runs interpreted (subscriptions always do).
 */
class CompiledQueries {
  private readonly runs = new WeakMap<DocumentNode, Map<string, CompiledQuery | number>>();
  constructor(private readonly schema: GraphQLSchema) {}
  for(document: DocumentNode, operationName: string | null | undefined): CompiledQuery | null {
    let byName = this.runs.get(document);
    if (!byName) this.runs.set(document, (byName = new Map()));
    const key = operationName ?? '';
    const seen = byName.get(key);
    if (typeof seen === 'object') return seen;
    if (seen === undefined) {
      byName.set(key, 1);
      return null;
    }
    const compiled = compileQuery(this.schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
    if (!isCompiledQuery(compiled)) return null;
    byName.set(key, compiled);
    return compiled;
  }
}

/** Why a budget ends once its operation was answered; one instance, as building an error per request costs its stack. */
const ANSWERED = new Error('the operation was answered');

/** graphql-js's rule errors carry no code; Apollo calls them GRAPHQL_VALIDATION_FAILED, and so do we, everywhere. */
function asValidationError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions } });
}
