/**
 * The baseline of npm run bench:graphql: Fastify answering each read query with the JSON one hand-written SQL
 * statement builds in PostgreSQL (scripts/bench/read-queries.ts). Started as its own process, like the server.
 * Environment: DATABASE_URL, PORT.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';
import { READ_QUERIES, type QueryIds } from './read-queries';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = Fastify();
  READ_QUERIES.forEach((query, index) => {
    app.post<{ Body: QueryIds }>(`/query/${index}`, async (request, reply) => {
      const { rows } = await pool.query<{ body: string }>(query.sql, query.parameters(request.body));
      return reply.type('application/json; charset=utf-8').send(rows[0].body);
    });
  });
  app.post('/typename', async (_request, reply) => reply.type('application/json; charset=utf-8').send('{"data":{"__typename":"Query"}}'));
  const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`listening ${address}\n`);
  const stop = () => void app.close().then(() => pool.end()).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
