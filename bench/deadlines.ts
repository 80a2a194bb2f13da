// Benchmark of the deadline calculator's API on loopback: the engine, the answer in her
// language and the JSON, as scripts and the calculator's users call it. Prints nothing;
// scripts/bench.ts prints the table.
import autocannon from 'autocannon';

const cases: Array<{ name: string; query: string }> = [
  { name: 'GET /api/deadlines (OQTF, detention centre, fr)', query: 'procedure=oqtf&notified=2026-11-27T23:10&custody=retention' },
  { name: 'GET /api/deadlines (OQTF, assigned, disputed, en)', query: 'procedure=oqtf&notified=2026-11-27T23:10&custody=assigned&lang=en' },
  { name: 'GET /api/deadlines (bad date → 400)', query: 'procedure=oqtf&notified=2026-02-30T10:00&custody=retention' }
];

/** Runs each case for about `seconds` (5 by default, split between the cases). */
export async function benchDeadlines(
  baseUrl: string,
  seconds = 5
): Promise<Array<{ name: string; requests_per_s: number; p50_ms: number; p99_ms: number }>> {
  const rows: Array<{ name: string; requests_per_s: number; p50_ms: number; p99_ms: number }> = [];
  const duration = Math.max(1, Math.round(seconds / cases.length));
  for (const c of cases) {
    const result = await autocannon({ url: `${baseUrl}/api/deadlines?${c.query}`, duration, connections: 16 });
    rows.push({
      name: c.name,
      requests_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99
    });
  }
  return rows;
}
