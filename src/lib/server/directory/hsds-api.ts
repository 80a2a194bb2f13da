/**
 * The read-only HSDS 3.0 API (`GET /services` of the Open Referral OpenAPI): paging
 * (`page`, `per_page`), `search`, `modified_after`, `taxonomy_term_id`; answers in the
 * HSDS Page shape. Invalid parameters get 400 with the field named.
 */
import type { Kysely } from 'kysely';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { parseIsoDateTime } from '../../time/paris-time';
import { searchWords } from '../../directory/search-text';
import { matchesAllWords } from './full-text';
import { findServicesByIds } from './repository';
import { toHsdsService } from './hsds';

export async function listHsdsServices(db: Kysely<Database>, params: URLSearchParams): Promise<{ status: number; body: unknown }> {
  const bad = (field: string) => ({ status: 400, body: { error: { code: 'invalid_input', message: `invalid parameter: ${field}`, field } } });
  const page = params.has('page') ? Number(params.get('page')) : 1;
  if (!Number.isInteger(page) || page < 1) return bad('page');
  const perPage = params.has('per_page') ? Number(params.get('per_page')) : 50;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) return bad('per_page');
  const filters: Array<Expression<SqlBool>> = [sql<SqlBool>`s.status <> 'inactive'`];
  const modifiedAfter = params.get('modified_after');
  if (modifiedAfter) {
    const at = parseIsoDateTime(modifiedAfter) ?? (/^\d{4}-\d{2}-\d{2}$/.test(modifiedAfter) ? parseIsoDateTime(`${modifiedAfter}T00:00:00Z`) : null);
    if (!at) return bad('modified_after');
    filters.push(sql<SqlBool>`s.updated_at > ${at.toISOString()}`);
  }
  const words = searchWords(params.get('search') ?? '');
  if (words.length) filters.push(matchesAllWords(db, words));
  const term = params.get('taxonomy_term_id');
  if (term) {
    const m = /^relais-(category|audience)-(.+)$/.exec(term);
    if (!m) return bad('taxonomy_term_id');
    filters.push(sql<SqlBool>`s.id in (select service_id from directory_service_tag where kind = ${m[1]} and value = ${m[2]})`);
  }
  const where = sql<SqlBool>`${sql.join(filters, sql` and `)}`;
  const [count, rows] = await Promise.all([
    db.selectFrom('directory_service as s').select((eb) => eb.fn.countAll().as('n')).where(where).executeTakeFirstOrThrow(),
    db.selectFrom('directory_service as s').select('s.id').where(where).orderBy('s.id').limit(perPage).offset((page - 1) * perPage).execute()
  ]);
  const total = Number(count.n);
  const services = await findServicesByIds(db, rows.map((r) => r.id));
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const minimal = params.get('minimal') === 'true';
  return {
    status: 200,
    body: {
      total_items: total,
      total_pages: totalPages,
      page_number: page,
      size: services.length,
      first_page: page === 1,
      last_page: page >= totalPages,
      empty: services.length === 0,
      contents: services.map((s) => {
        const full = toHsdsService(s);
        if (!minimal) return full;
        const { phones: _p, schedules: _s, languages: _l, service_at_locations: _a, attributes: _t, x_relais: _x, ...rest } = full;
        return rest;
      })
    }
  };
}
