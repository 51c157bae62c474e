import jsonExport from 'jsonexport/dist';
import { fetchRelatedRecords, type DataProvider, type RaRecord } from 'react-admin';
import { isoUtc } from './dates';
import { customerName } from '@/resources/customers/customerName';

// One CSV exporter for every list: the columns a person reads (people by email and name,
// never a bare id; times in UTC; money to the cent), and every text cell made safe
// for a spreadsheet. Each list names its columns in exportColumns.ts.

/** How a column turns a row into cells. */
export type ColumnKind = 'text' | 'number' | 'usd' | 'time' | 'customer' | 'staff' | 'json';
export interface ExportColumn {
  source: string;
  header: string;
  kind?: ColumnKind;
}

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
// injection"): `=HYPERLINK(...)` in a customer's name would otherwise become a live link.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as a spreadsheet shows it, never as a formula: a leading quote disarms it. */
export function safeCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Money to the cent, as a number without binary noise (0.1 + 0.2 gives 0.3, not
 * 0.30000000000000004). Half a cent rounds away from zero on the decimal the database sent
 * (1.005 → 1.01), which `toFixed` would get wrong: shifting by the exponent in the string
 * keeps the decimal digits exact. A number, not a string, so a negative amount is never
 * mistaken for a formula (safeCell) and a spreadsheet can sum the column.
 */
export function roundUsd(value: unknown): number | '' {
  if (value == null || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  const cents = Math.round(Number(`${Math.abs(n)}e2`));
  return (Math.sign(n) * cents) / 100 || 0;
}

type Related = Record<string, Record<string, RaRecord>>;

const relatedResource: Partial<Record<ColumnKind, string>> = {
  customer: 'customers',
  // Staff rows are readable in full by admins only; this names any colleague for any staff.
  staff: 'rpc/staff_directory',
};

function cells(column: ExportColumn, record: RaRecord, related: Related): [string, unknown][] {
  const value = record[column.source];
  switch (column.kind) {
    case 'number':
      return [[column.header, value ?? '']];
    case 'usd':
      return [[column.header, roundUsd(value)]];
    case 'time':
      return [[column.header, isoUtc(value as string | null)]];
    case 'json':
      return [[column.header, value == null ? '' : JSON.stringify(value)]];
    case 'customer': {
      const customer = value == null ? undefined : related.customers?.[String(value)];
      return [
        [`${column.header} email`, customer?.email ?? ''],
        [`${column.header} name`, customer ? customerName(customer) : ''],
        [`${column.header} pass id`, value ?? ''],
      ];
    }
    case 'staff': {
      const staff = value == null ? undefined : related['rpc/staff_directory']?.[String(value)];
      return [[column.header, staff?.email ?? (value == null ? '' : 'former staff member')]];
    }
    default:
      return [[column.header, value == null ? '' : String(value)]];
  }
}

// ids per getMany: `id=in.(...)` of 200 uuids stays well under any proxy's URL limit.
const RELATED_BATCH = 200;

/** The people behind the rows' customer and staff columns, by resource and id. */
export async function fetchPeople(
  dataProvider: DataProvider,
  records: RaRecord[],
  columns: ExportColumn[],
): Promise<Related> {
  const related: Related = {};
  for (const column of columns) {
    const resource = column.kind && relatedResource[column.kind];
    if (!resource) continue;
    related[resource] ??= {};
    for (let i = 0; i < records.length; i += RELATED_BATCH) {
      const batch = records.slice(i, i + RELATED_BATCH).filter((r) => r[column.source] != null);
      if (!batch.length) continue;
      Object.assign(
        related[resource],
        await fetchRelatedRecords(dataProvider)(batch, column.source, resource),
      );
    }
  }
  return related;
}

export function toRows(records: RaRecord[], columns: ExportColumn[], related: Related) {
  return records.map((record) =>
    Object.fromEntries(
      columns
        .flatMap((column) => cells(column, record, related))
        .map(([header, value]) => [header, safeCell(value)]),
    ),
  );
}

export function headersOf(columns: ExportColumn[]): string[] {
  return columns.flatMap((c) => cells(c, {} as RaRecord, {}).map(([header]) => header));
}

export function toCsv(rows: object[], headers: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    jsonExport(rows, { headers }, (error, csv) => (error ? reject(error) : resolve(csv))),
  );
}
