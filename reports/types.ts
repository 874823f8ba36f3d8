import type { Lang } from '../core/text-format.js';

/**
 * The report model (issue 11, DESIGN.md §4 `reports/`): plain data built once from the SLA engine's report, rendered
 * to HTML, PDF, CSV and JSON. Text is already in the report's language; numbers stay numbers (each column says how a
 * reader sees them), so every format shows the same figure.
 */

/** Who the report is for: the region (every establishment), a union (the same facts, chronology first), one establishment. */
export type Audience = 'region' | 'union' | 'establishment';

/** How a column's values read: the HTML formats them in the report's language, CSV and JSON keep the value. */
export type ColumnKind = 'text' | 'percent' | 'minutes' | 'count' | 'datetime' | 'date' | 'money' | 'points';

export interface Column {
  /** Machine name (CSV header). */
  key: string;
  /** Header in the report's language. */
  label: string;
  kind: ColumnKind;
}

/** Columns from `[key, label, kind]` triples (the tables' column lists stay one line per column). */
export function cols(...defs: readonly (readonly [string, string, ColumnKind])[]): Column[] {
  return defs.map(([key, label, kind]) => ({ key, label, kind }));
}

/** A cell: a number (percent, minutes…), a string (text, ISO instant with offset, date), or null (empty: "—"). */
export type Cell = string | number | null;

export interface ReportTable {
  /** File name of its CSV (`<id>.csv`). */
  id: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** A total row, when the rows add up (daily tables). */
  total?: Cell[];
  /** Shown under the table (what an empty table means, a caveat). */
  note?: string;
  /**
   * The rows the HTML and PDF show when not all of them (indices into `rows`, in order): a chronology of thousands of
   * one-slot episodes stays readable; CSV and JSON keep every row, and `note` says so.
   */
  printRows?: number[];
}

/** One row of a heat map: one establishment (or the pooled scope), one value per day (availability %, null = no data). */
export interface HeatRow {
  label: string;
  values: (number | null)[];
}

/** A calendar heat map: days × establishments, availability within service hours (one cell per day). */
export interface HeatMap {
  id: string;
  title: string;
  /** Local dates `yyyy-MM-dd`. */
  days: string[];
  rows: HeatRow[];
  targetPercent: number;
}

export interface ReportSection {
  id: string;
  title: string;
  paragraphs: string[];
  tables: ReportTable[];
  heatMaps: HeatMap[];
}

/** A clause's headline figures (cover, summary, e-mail body). */
export interface Headline {
  clause: string;
  name: string;
  targetPercent: number;
  /** Corrected availability, null when nothing was observed. */
  availabilityPercent: number | null;
  coveragePercent: number | null;
  verdict: 'met' | 'missed' | 'no-data';
  /** The verdict in the report's language. */
  verdictLabel: string;
  penaltyTotal: number | null;
}

export interface ReportModel {
  schema: 'vigie-report/1';
  lang: Lang;
  audience: Audience;
  title: string;
  contract: { id: string; name: string | null; provider: string | null; timezone: string; currency: string };
  /** `label` as the engine gives it (`2026-10`); `title` as a reader reads it (`octobre 2026`). */
  period: { label: string; title: string; from: string; to: string; inProgress: boolean };
  /** ISO instant with the contract zone's offset. */
  generatedAt: string;
  vigieVersion: string;
  /** The establishment of an `establishment` report. */
  establishment: { uai: string; name: string } | null;
  /** Revisions whose config the figures come from. */
  revisions: number[];
  headlines: Headline[];
  sections: ReportSection[];
}
