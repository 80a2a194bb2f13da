/**
 * Paid participation (issue 7): what an hour is worth, what a member is owed, and the
 * bookkeeping CSV. Pure: no I/O. Amounts are integer cents (EUR): never floating euros.
 */

/** What `minutes` of work are worth at `rateCents` an hour, rounded to the nearest cent. */
export function amountFor(minutes: number, rateCents: number): number {
  return Math.round((minutes * rateCents) / 60);
}

/** "12,50" (fr) or "12.50": cents as euros, two decimals, no currency sign (for CSV cells). */
export function centsToDecimal(cents: number, separator: ',' | '.' = ','): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  return `${sign}${Math.floor(abs / 100)}${separator}${String(abs % 100).padStart(2, '0')}`;
}

/** "1,5" hours from minutes (two decimals at most, trailing zeros dropped). */
export function minutesToHours(minutes: number, separator: ',' | '.' = ','): string {
  const hours = Math.round((minutes / 60) * 100) / 100;
  return String(hours).replace('.', separator);
}

/**
 * Reads "12", "12,5", "12.50" euros as cents; null for anything else (negative, more than
 * two decimals, more than 100 000 €).
 */
export function parseEuros(text: string): number | null {
  const m = /^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + (m[2] ? Number(m[2].padEnd(2, '0')) : 0);
  return cents <= 10_000_000 ? cents : null;
}

export interface LedgerEntry {
  kind: 'attendance' | 'training' | 'review';
  workedOn: string;
  minutes: number;
  rateCents: number;
  amountCents: number;
}

export interface LedgerPayment {
  paidOn: string;
  amountCents: number;
  method: string;
}

export interface MemberLedger {
  pseudonym: string;
  entries: LedgerEntry[];
  payments: LedgerPayment[];
}

export interface LedgerTotals {
  minutes: number;
  owedCents: number;
  paidCents: number;
  balanceCents: number;
}

export function totalsOf(ledger: Pick<MemberLedger, 'entries' | 'payments'>): LedgerTotals {
  const minutes = ledger.entries.reduce((sum, e) => sum + e.minutes, 0);
  const owedCents = ledger.entries.reduce((sum, e) => sum + e.amountCents, 0);
  const paidCents = ledger.payments.reduce((sum, p) => sum + p.amountCents, 0);
  return { minutes, owedCents, paidCents, balanceCents: owedCents - paidCents };
}

/** A CSV cell: quoted when it holds the separator, a quote or a line break; formulas defused. */
export function csvCell(value: string): string {
  // A cell starting with = + - @ is a formula to Excel: prefix it (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The bookkeeping export: UTF-8 with a byte order mark (Excel opens it right), `;` between
 * cells and `,` for decimals (French Excel and LibreOffice read that without a dialog), CRLF.
 * One line per entry and per payment, then one `total` line per member:
 *   pseudonym;line;date;kind;hours;rate;owed;paid;balance
 * Nothing else: no contribution, theme or statement exists in pay records.
 */
export function payCsv(ledgers: MemberLedger[], labels: { total: string; payment: string; kinds: Record<LedgerEntry['kind'], string>; header: string[] }): string {
  const lines: string[][] = [labels.header];
  for (const ledger of ledgers) {
    for (const e of [...ledger.entries].sort((a, b) => a.workedOn.localeCompare(b.workedOn))) {
      lines.push([ledger.pseudonym, 'entry', e.workedOn, labels.kinds[e.kind], minutesToHours(e.minutes), centsToDecimal(e.rateCents), centsToDecimal(e.amountCents), '', '']);
    }
    for (const p of [...ledger.payments].sort((a, b) => a.paidOn.localeCompare(b.paidOn))) {
      lines.push([ledger.pseudonym, 'payment', p.paidOn, `${labels.payment} (${p.method})`, '', '', '', centsToDecimal(p.amountCents), '']);
    }
    const totals = totalsOf(ledger);
    lines.push([ledger.pseudonym, 'total', '', labels.total, minutesToHours(totals.minutes), '', centsToDecimal(totals.owedCents), centsToDecimal(totals.paidCents), centsToDecimal(totals.balanceCents)]);
  }
  return '\uFEFF' + lines.map((cells) => cells.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
