/** The part of graphql-schema-linter's JS API the schema-lint test uses (the package ships no types). */
declare module 'graphql-schema-linter' {
  import type { GraphQLError } from 'graphql';

  interface LintInput {
    definition: string;
    sourceMap: unknown;
  }

  interface LintConfiguration {
    getRules(): unknown[];
    /** Problems with the configuration itself, such as a rule name that does not exist. */
    validate(): Array<{ message: string; field: string; type: string }>;
  }

  export const configuration: {
    Configuration: new (schema: LintInput, options: { rules?: string[] }) => LintConfiguration;
  };

  export const validator: {
    validateSchemaDefinition(schema: LintInput, rules: unknown[], configuration: LintConfiguration): Array<GraphQLError & { ruleName?: string }>;
  };
}

declare module 'graphql-schema-linter/lib/source_map' {
  export class SourceMap {
    constructor(sourceFiles: Record<string, string>);
  }
}
