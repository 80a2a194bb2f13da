import { describe, expect, it } from 'vitest';
import { amountFor, centsToDecimal, csvCell, minutesToHours, parseEuros, payCsv, totalsOf } from './pay';

describe('amountFor', () => {
  it('pays 90 minutes at 12,50 € an hour 18,75 €', () => expect(amountFor(90, 1250)).toBe(1875));
  it('rounds to the nearest cent', () => expect(amountFor(7, 1000)).toBe(117));
});

describe('parseEuros', () => {
  it('reads a comma or a point', () => {
    expect(parseEuros('12,5')).toBe(1250);
    expect(parseEuros('12.05')).toBe(1205);
    expect(parseEuros('0')).toBe(0);
  });
  it('refuses negative, three decimals and words', () => {
    for (const bad of ['-1', '1,234', 'ten', '', '1e3']) expect(parseEuros(bad)).toBeNull();
  });
});

describe('payCsv', () => {
  it('starts with a BOM, separates with ; and totals each member', () => {
    const csv = payCsv(
      [{ pseudonym: 'Rose', entries: [{ kind: 'attendance', workedOn: '2026-12-03', minutes: 150, rateCents: 1200, amountCents: 3000 }], payments: [{ paidOn: '2026-12-10', amountCents: 1000, method: 'cash' }] }],
      { total: 'total', payment: 'payment', kinds: { attendance: 'workshop', training: 'training', review: 'review' }, header: ['pseudonym', 'line', 'date', 'what', 'hours', 'rate', 'owed', 'paid', 'balance'] }
    );
    expect(csv.startsWith('\uFEFFpseudonym;line;')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines[1]).toBe('Rose;entry;2026-12-03;workshop;2,5;12,00;30,00;;');
    expect(lines[2]).toBe('Rose;payment;2026-12-10;payment (cash);;;;10,00;');
    expect(lines[3]).toBe('Rose;total;;total;2,5;;30,00;10,00;20,00');
  });
  it('defuses formulas and quotes separators', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a;b')).toBe('"a;b"');
  });
  it('formats', () => {
    expect(centsToDecimal(-505)).toBe('-5,05');
    expect(minutesToHours(90)).toBe('1,5');
    expect(totalsOf({ entries: [], payments: [{ paidOn: 'x', amountCents: 5, method: 'cash' }] }).balanceCents).toBe(-5);
  });
});
