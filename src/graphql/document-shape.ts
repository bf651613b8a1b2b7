import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface ShapeLimits {
  maxDepth: number;
  /** How many response names one field may be requested under, and how often one name may repeat in a selection. */
  maxAliasesPerField: number;
}

/**
 * Checks a parsed document's shape before anything costlier runs on it, in time linear in the document:
 * each fragment's depth is computed once (a fragment spread twice by each of 24 others is 2^24 paths, but
 * 25 fragments), aliases are counted per field name over the whole document, and a response name may not
 * repeat more than the alias limit in one selection set (merging repeated fields is quadratic in graphql-js).
 */
export function checkDocumentShape(document: DocumentNode, limits: ShapeLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const aliasesOf = new Map<string, Set<string>>();
  const worstRepeat = { name: '', count: 0 };
  const depthOfFragment = new Map<string, number>();
  const visiting = new Set<string>();

  const depthOf = (selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        // Introspection is exempt: its own shape is fixed and GraphiQL's query is deep.
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet));
      } else {
        deepest = Math.max(deepest, fragmentDepth(selection.name.value));
      }
    }
    return deepest;
  };
  const fragmentDepth = (name: string): number => {
    const known = depthOfFragment.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Unknown and cyclic spreads are reported by graphql-js's own rules, which run after this check.
    if (!fragment || visiting.has(name)) return 0;
    visiting.add(name);
    const depth = depthOf(fragment.selectionSet);
    visiting.delete(name);
    depthOfFragment.set(name, depth);
    return depth;
  };

  const countNames = (selectionSet: SelectionSetNode | undefined): void => {
    if (!selectionSet) return;
    const timesUsed = new Map<string, number>();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = selection.name.value;
        const responseName = selection.alias?.value ?? field;
        let names = aliasesOf.get(field);
        if (!names) aliasesOf.set(field, (names = new Set()));
        names.add(responseName);
        const count = (timesUsed.get(responseName) ?? 0) + 1;
        timesUsed.set(responseName, count);
        if (count > limits.maxAliasesPerField && count > worstRepeat.count) Object.assign(worstRepeat, { name: responseName, count });
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD) countNames(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) countNames(definition.selectionSet);
  }

  for (const [field, names] of aliasesOf) {
    if (names.size > limits.maxAliasesPerField) {
      errors.push(tooManyAliases(`field "${field}" is requested under ${names.size} names; at most ${limits.maxAliasesPerField} are allowed`, field));
    }
  }
  if (worstRepeat.count > 0) {
    const { name, count } = worstRepeat;
    errors.push(tooManyAliases(`response name "${name}" is selected ${count} times in one selection; at most ${limits.maxAliasesPerField} are allowed`, name));
  }

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depthOf(definition.selectionSet);
    if (depth > limits.maxDepth) {
      errors.push(new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, { nodes: [definition], extensions: { code: 'QUERY_TOO_DEEP' } }));
    }
  }
  return errors;
}

function tooManyAliases(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_MANY_ALIASES', field } });
}
