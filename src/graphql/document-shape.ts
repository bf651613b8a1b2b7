import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface ShapeLimits {
  maxDepth: number;
  /** How many response names one field may be requested under, and how often one name may repeat in a selection. */
  maxAliasesPerField: number;
}

/** Found a limit broken: stop looking, the document is refused anyway. */
class ShapeRefused extends Error {
  constructor(readonly error: GraphQLError) {
    super(error.message);
  }
}

const isIntrospection = (name: string) => name.startsWith('__') && name !== '__typename';

/**
 * Checks a parsed document's shape before anything costlier runs on it, in time linear in the document
 * (graphql-js's rules and the execution are only as cheap as the document they are given):
 * - depth, each fragment's computed once (24 fragments each spreading the next twice are 2^24 paths, not 2^24 visits);
 * - aliases per field name over the whole document, and none at all inside introspection (whose resolvers run
 *   synchronously: 20 aliases of `types` with 20 of `fields` were 8 s of blocked event loop; without aliases
 *   repeated introspection fields merge and run once);
 * - how often one response name is selected in one selection, counting what its fragments and inline fragments
 *   add (graphql-js compares such fields pairwise: 440 spreads of a one-field fragment took ~80 ms).
 */
export function checkDocumentShape(document: DocumentNode, limits: ShapeLimits): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  try {
    checkNames(document, fragments, limits.maxAliasesPerField);
    return checkDepth(document, fragments, limits.maxDepth);
  } catch (error) {
    if (error instanceof ShapeRefused) return [error.error];
    throw error;
  }
}

function checkDepth(document: DocumentNode, fragments: Map<string, FragmentDefinitionNode>, maxDepth: number): GraphQLError[] {
  const depthOfFragment = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        // Introspection's depth is graphql-js's MaxIntrospectionDepthRule's business (GraphiQL's query is deep).
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
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depthOf(definition.selectionSet);
    if (depth > maxDepth) {
      errors.push(new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, { nodes: [definition], extensions: { code: 'QUERY_TOO_DEEP' } }));
    }
  }
  return errors;
}

function checkNames(document: DocumentNode, fragments: Map<string, FragmentDefinitionNode>, maxNames: number): void {
  const aliasesOf = new Map<string, Set<string>>();
  /** Response names a fragment contributes to the selection it is spread into, with how often each. */
  const namesOfFragment = new Map<string, Map<string, number>>();
  const visiting = new Set<string>();

  const refuse = (message: string, field: string): never => {
    throw new ShapeRefused(new GraphQLError(message, { extensions: { code: 'QUERY_TOO_MANY_ALIASES', field } }));
  };
  const add = (names: Map<string, number>, name: string, times: number) => {
    const count = (names.get(name) ?? 0) + times;
    if (count > maxNames) refuse(`response name "${name}" is selected ${count} times in one selection; at most ${maxNames} are allowed`, name);
    names.set(name, count);
  };

  /** The response names of one selection, through its fragments; checks every field's own selection on the way. */
  const namesIn = (selectionSet: SelectionSetNode, introspection: boolean): Map<string, number> => {
    const names = new Map<string, number>();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = selection.name.value;
        const responseName = selection.alias?.value ?? field;
        const inside = introspection || isIntrospection(field);
        if (inside && responseName !== field) refuse(`aliases are not allowed in introspection ("${responseName}: ${field}")`, field);
        let aliases = aliasesOf.get(field);
        if (!aliases) aliasesOf.set(field, (aliases = new Set()));
        aliases.add(responseName);
        if (aliases.size > maxNames) refuse(`field "${field}" is requested under ${aliases.size} names; at most ${maxNames} are allowed`, field);
        add(names, responseName, 1);
        if (selection.selectionSet) namesIn(selection.selectionSet, inside);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inside = introspection || isIntrospection(selection.typeCondition?.name.value ?? '');
        for (const [name, times] of namesIn(selection.selectionSet, inside)) add(names, name, times);
      } else {
        for (const [name, times] of fragmentNames(selection.name.value)) add(names, name, times);
      }
    }
    return names;
  };
  const fragmentNames = (name: string): Map<string, number> => {
    const known = namesOfFragment.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return new Map();
    visiting.add(name);
    const names = namesIn(fragment.selectionSet, isIntrospection(fragment.typeCondition.name.value));
    visiting.delete(name);
    namesOfFragment.set(name, names);
    return names;
  };

  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) namesIn(definition.selectionSet, false);
    // Fragments nobody spreads are checked too (graphql-js refuses them, but only after its own costly rules).
    else if (definition.kind === Kind.FRAGMENT_DEFINITION) fragmentNames(definition.name.value);
  }
}
