import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getNamedType,
  isCompositeType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getDirectiveValues } from 'graphql/execution/values';

/** A field's declared cost (type-graphql's `complexity` option), given its arguments and its selection's cost. */
type FieldCost = (options: { type: GraphQLCompositeType; field: GraphQLField<unknown, unknown>; node: FieldNode; args: Record<string, unknown>; childComplexity: number }) => number | void;

/**
 * What an operation costs: by default 1 per field plus what it selects; a field's own `complexity`
 * (number, or a function of its arguments and its selection's cost, as type-graphql's decorators declare
 * it) overrides that, so lists charge their page size and timelines their range.
 *
 * Linear in the document: a fragment's cost is computed once and reused wherever it is spread (a
 * fragment spread twice is charged twice, as it would run twice), so 24 fragments each spreading the next
 * twice cost 25 visits to price at 2^24, not 2^24 visits.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  /** Coerced, as execution sees them (getVariableValues). */
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const costOfFragment = new Map<string, number>();
  const visiting = new Set<string>();

  const included = (selection: SelectionNode): boolean => {
    if (!selection.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if !== false;
  };

  const selectionCost = (selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !('getFields' in parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const namedType = getNamedType(field.type);
        const childComplexity = isCompositeType(namedType) ? selectionCost(selection.selectionSet, namedType) : 0;
        total += fieldCost(field, parent, selection, childComplexity);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) total += selectionCost(selection.selectionSet, type);
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
  };

  const fragmentCost = (name: string): number => {
    const known = costOfFragment.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return 0;
    const type = schema.getType(fragment.typeCondition.name.value);
    if (!isCompositeType(type)) return 0;
    visiting.add(name);
    const cost = selectionCost(fragment.selectionSet, type);
    visiting.delete(name);
    costOfFragment.set(name, cost);
    return cost;
  };

  const fieldCost = (field: GraphQLField<unknown, unknown>, type: GraphQLCompositeType, node: FieldNode, childComplexity: number): number => {
    const declared = field.extensions?.complexity as number | FieldCost | undefined;
    if (typeof declared === 'number') return declared + childComplexity;
    if (typeof declared === 'function') {
      const args = getArgumentValues(field, node, variables);
      const estimate = declared({ type, field, node, args, childComplexity });
      // A field costs at least 1 whatever its arguments say (a negative page size must not make others free).
      if (typeof estimate === 'number') return Number.isNaN(estimate) ? Number.POSITIVE_INFINITY : Math.max(1, estimate);
    }
    return 1 + childComplexity;
  };

  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(operation.selectionSet, root) : 0;
}

export function tooComplex(cost: number, max: number): GraphQLError {
  const shown = Number.isFinite(cost) && cost < Number.MAX_SAFE_INTEGER ? String(Math.round(cost)) : 'beyond any limit';
  return new GraphQLError(`query complexity ${shown} exceeds the limit of ${max}`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', complexity: Number.isFinite(cost) ? cost : null, maxComplexity: max },
  });
}
