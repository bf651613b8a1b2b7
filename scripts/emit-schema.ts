import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printGraphQLSchema } from '../src/graphql/print-schema';

printGraphQLSchema()
  .then((sdl) => {
    const target = path.resolve(__dirname, '../../schema.graphql');
    writeFileSync(target, sdl);
    console.log(`wrote ${target}`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
