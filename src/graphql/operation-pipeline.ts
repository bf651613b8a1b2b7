import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  execute,
  getOperationAST,
  parse,
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
import type { Logger } from 'pino';
import { createLoaders } from '../resolvers/loaders';
import type { GraphQLContext } from '../resolvers/context';
import type { Services } from '../services';
import type { Actor } from '../shared/actor';
import { checkDocumentShape } from './document-shape';
import { createErrorFormatter } from './format-error';
import { operationBudget, operationTimeout, UNLIMITED_BUDGET } from './operation-budget';
import { operationCost, tooComplex } from './operation-cost';

export interface OperationLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliasesPerField: number;
  maxComplexity: number;
  timeoutMs: number;
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
export function createOperationPipeline(schema: GraphQLSchema, services: Services, limits: OperationLimits, log: Logger) {
  const rules: readonly ValidationRule[] = limits.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  // Apollo hands the same DocumentNode back for a repeated query text, so its checks run once.
  const checkedDocuments = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  const formatError = createErrorFormatter(log);
  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error.toJSON(), error));

  const documentErrors = (document: DocumentNode): readonly GraphQLError[] => {
    let errors = checkedDocuments.get(document);
    if (!errors) {
      // The shape check first: graphql-js's rules are only as cheap as the document they are given.
      const shape = checkDocumentShape(document, limits);
      errors = shape.length ? shape : validate(schema, document, rules).map(asValidationError);
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
        if (!(error instanceof GraphQLError)) throw error;
        return [new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
    },

    /** Errors that refuse the operation before it runs: its shape, graphql-js's rules, its cost. */
    check({ document, operationName, variables }: OperationRequest): readonly GraphQLError[] {
      const errors = documentErrors(document);
      if (errors.length) return errors;
      const operation = getOperationAST(document, operationName);
      if (!operation) return [new GraphQLError('the document names no operation to run (or several without operationName)', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 20 });
      // A variable of the wrong type is the caller's mistake, answered before anything runs (as Apollo does).
      if (coerced.errors) return coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
      try {
        const cost = operationCost(schema, document, operation, coerced.coerced);
        return cost > limits.maxComplexity ? [tooComplex(cost, limits.maxComplexity)] : [];
      } catch (error) {
        // An argument that cannot be read (a bad literal) is reported the same way.
        if (error instanceof GraphQLError) return [new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } })];
        throw error;
      }
    },

    /** What resolvers get for one operation of `actor`; subscriptions run unbounded, each event re-reads by id. */
    context(actor: Actor, requestLog: Logger, subscription = false): GraphQLContext {
      return {
        actor,
        services,
        loaders: createLoaders(services),
        log: requestLog,
        budget: subscription ? UNLIMITED_BUDGET : operationBudget(limits.timeoutMs),
      };
    },

    /** Runs a checked query or mutation; past its budget it answers OPERATION_TIMEOUT and its resolvers stop starting. */
    async execute(args: ExecutionArgs & { contextValue: GraphQLContext }): Promise<ExecutionResult> {
      const running = Promise.resolve(execute(args));
      const { budget } = args.contextValue;
      if (!Number.isFinite(budget.deadline)) return running;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<ExecutionResult>((resolve) => {
        timer = setTimeout(() => resolve({ data: null, errors: [operationTimeout(budget)] }), Math.max(0, budget.deadline - Date.now()));
      });
      try {
        return await Promise.race([running, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },

    formatErrors,

    formatResult(result: ExecutionResult): FormattedExecutionResult {
      const { errors, ...rest } = result;
      return errors?.length ? { ...rest, errors: formatErrors(errors) } : rest;
    },
  };
}

/** graphql-js's rule errors carry no code; Apollo calls them GRAPHQL_VALIDATION_FAILED, and so do we, everywhere. */
function asValidationError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions } });
}
