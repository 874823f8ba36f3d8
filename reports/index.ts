/** Reports (issue 11, DESIGN.md §4 `reports/`): the model built from the SLA engine's report, and its formats. */
export { buildReportModel, type BuildReportInput } from './model.js';
export { renderHtml, formatCell } from './render-html.js';
export { longDate, longDateTime, periodTitle, shortDate, shortDateTime } from './format.js';
export { renderPdf, normalisePdfDates, type PdfOptions } from './render-pdf.js';
export { allTables, checkOutDir, manifest, reportFiles, tableCsv, writeReportFiles, REPORT_FORMATS, type ReportFormat } from './write.js';
export { previousPeriod } from './period.js';
export type { Audience, Cell, Column, ColumnKind, HeatMap, Headline, ReportModel, ReportSection, ReportTable } from './types.js';
