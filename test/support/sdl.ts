import { parse, print, visit } from 'graphql';

/** The SDL with every description taken out, so signatures print on one line whatever their documentation says. */
export function withoutDescriptions(sdl: string): string {
  return print(
    visit(parse(sdl), {
      enter: (node) => ('description' in node && node.description ? { ...node, description: undefined } : undefined),
    }),
  );
}
