/** Every TypeORM entity the data source knows. */
export const ENTITIES: Function[] = [];
