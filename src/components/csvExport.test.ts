import { describe, expect, it } from 'vitest';
import { headersOf, roundUsd, safeCell, toCsv, toRows, type ExportColumn } from './csvExport';

describe('CSV export', () => {
  it('disarms every cell a spreadsheet would run as a formula, and only those', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(safeCell(`${start}HYPERLINK("x")`)).toBe(`'${start}HYPERLINK("x")`);
    expect(safeCell('Sofia K.')).toBe('Sofia K.');
    expect(safeCell(-5)).toBe(-5);
  });

  it('names people, writes UTC times and money to the cent', async () => {
    const columns: ExportColumn[] = [
      { source: 'customer_id', header: 'customer', kind: 'customer' },
      { source: 'actor', header: 'by', kind: 'staff' },
      { source: 'created_at', header: 'when (UTC)', kind: 'time' },
      { source: 'cost_usd', header: 'cost (USD)', kind: 'usd' },
    ];
    const rows = toRows(
      [
        {
          id: 1,
          customer_id: 'pass-1',
          actor: 'u-1',
          created_at: '2026-03-03T23:30:00+00:00',
          cost_usd: 0.1 + 0.2,
        },
      ],
      columns,
      {
        customers: { 'pass-1': { id: 'pass-1', email: 'ann@example.com', display_name: '=cmd' } },
        'rpc/staff_directory': { 'u-1': { id: 'u-1', email: 'support@creditdesk.dev' } },
      },
    );
    expect(rows).toEqual([
      {
        'customer email': 'ann@example.com',
        'customer name': "'=cmd",
        'customer pass id': 'pass-1',
        by: 'support@creditdesk.dev',
        'when (UTC)': '2026-03-03T23:30:00Z',
        'cost (USD)': 0.3,
      },
    ]);
    // To the cent, half a cent away from zero on the decimal as sent.
    expect(roundUsd(0.0006)).toBe(0);
    expect(roundUsd(1.005)).toBe(1.01);
    expect(roundUsd(-2.675)).toBe(-2.68);
    expect(roundUsd(12.3449)).toBe(12.34);
    expect(roundUsd('7')).toBe(7);
    expect(roundUsd(null)).toBe('');
    expect(roundUsd('n/a')).toBe('');
    expect(await toCsv(rows, headersOf(columns))).toBe(
      'customer email,customer name,customer pass id,by,when (UTC),cost (USD)\n' +
        `ann@example.com,'=cmd,pass-1,support@creditdesk.dev,2026-03-03T23:30:00Z,0.3`,
    );
  });
});
