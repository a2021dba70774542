import postgres from 'postgres';
import { prepareDatabase } from '@licensing/db';
const url = 'postgres://postgres@127.0.0.1:5432/licensing_probe_plans';
await prepareDatabase(url);
const sql = postgres(url, { max: 1 });
const [c] = await sql`INSERT INTO partners (name) VALUES ('p') RETURNING id`.catch(
  async () => sql`SELECT id FROM partners LIMIT 1`,
);
console.log(c);
await sql.end();
