import { colon, formatNumber, formatPercent, type Lang } from '../core/text-format.js';
import { escapeHtml, longDateTime, shortDate, shortDateTime, WHEN_SEP } from './format.js';
import { dailyBarsSvg, heatMapSvg, HEAT_COLOURS } from './charts.js';
import { labels } from './labels.js';
import type { Cell, ColumnKind, ReportModel, ReportSection, ReportTable } from './types.js';

/**
 * The report as one self-contained HTML page (issue 11 item 4): inline CSS, server-rendered SVG charts, no script,
 * readable on screen and printed on A4 (the PDF is Chromium's print of this page, reports/render-pdf.ts). Same model,
 * same bytes: nothing here reads the clock or the machine's locale.
 */

const esc = escapeHtml;

/** A cell as a reader sees it in `lang` (the CSV and JSON keep the value). Empty: an em dash. */
export function formatCell(value: Cell, kind: ColumnKind, lang: Lang): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'string') return kind === 'datetime' ? shortDateTime(value, lang) : kind === 'date' ? shortDate(value, lang) : value;
  switch (kind) {
    case 'percent':
      return formatPercent(value, lang, 2);
    case 'points':
      return `${value > 0 ? '+' : ''}${formatNumber(value, lang, 2, true)}`;
    case 'minutes':
      // Whole minutes as integers; fractions always with two decimals (7,50 beside 7,95).
      return formatNumber(value, lang, 2, !Number.isInteger(value));
    case 'money':
      return formatNumber(value, lang, 2, true);
    default:
      return formatNumber(value, lang, 0);
  }
}

const CSS = `
@page { size: A4; margin: 16mm 12mm 18mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #000; margin: 0; }
section { max-width: 190mm; margin: 0 auto; } @media print { section { max-width: none; } }
h1 { font-size: 18pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 8mm 0 2mm; border-bottom: 1px solid #000; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; page-break-after: avoid; }
.cover { page-break-after: always; } .cover dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; }
.cover dt { font-weight: bold; } .cover dd { margin: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 1mm 0 3mm; font-size: 8pt; }
th, td { border: 0.5pt solid #555; padding: 0.6mm 1mm; overflow-wrap: break-word; vertical-align: top; }
th { background: #e8e8e8; text-align: left; font-size: 7pt; overflow-wrap: normal; } td.n { text-align: right; white-space: nowrap; } td.d { white-space: nowrap; } td.t { white-space: pre-line; }
@page wide { size: A4 landscape; } section.wide { page: wide; max-width: 273mm; } @media print { section.wide { max-width: none; } }
tr { page-break-inside: avoid; } tfoot td { font-weight: bold; border-top: 1.2pt solid #000; }
.verdict-met { font-weight: bold; } .verdict-missed { font-weight: bold; text-decoration: underline; }
.note { font-size: 8pt; color: #333; } .chart svg { max-width: 100%; height: auto; }
.legend span { display: inline-block; width: 3mm; height: 3mm; border: 0.5pt solid #888; margin: 0 1mm 0 3mm; vertical-align: middle; }
`;

function tableHtml(t: ReportTable, lang: Lang, sectionTitle: string): string {
  const numeric = (k: ColumnKind) => k !== 'text' && k !== 'datetime' && k !== 'date';
  const td = (v: Cell, k: ColumnKind) =>
    k === 'datetime' && typeof v === 'string' && v !== ''
      ? `<td class="d">${formatCell(v, k, lang).split(WHEN_SEP).map(esc).join('<br>')}</td>`
      : `<td${numeric(k) ? ' class="n"' : k === 'date' && /^\d{4}-/.test(String(v)) ? ' class="d"' : k === 'text' ? ' class="t"' : ''}>${esc(formatCell(v, k, lang))}</td>`;
  const head = t.columns.map((c) => `<th>${esc(c.label)}</th>`).join('');
  // Fixed widths for dates and numbers; text columns share the rest.
  const cols = t.columns.map((c) => (c.kind === 'datetime' ? '<col style="width:25mm">' : c.kind === 'date' ? '<col style="width:17mm">' : c.kind === 'text' ? '<col>' : '<col style="width:21mm">')).join('');
  const shown = t.printRows ? t.printRows.map((i) => t.rows[i]!) : t.rows;
  const body = shown.length === 0 ? `<tr><td colspan="${t.columns.length}">—</td></tr>` : shown.map((r) => `<tr>${r.map((v, i) => td(v, t.columns[i]!.kind)).join('')}</tr>`).join('\n');
  const foot = t.total ? `<tfoot><tr>${t.total.map((v, i) => td(v, t.columns[i]!.kind)).join('')}</tr></tfoot>` : '';
  const title = t.title === sectionTitle ? '' : `<h3 id="t-${esc(t.id)}">${esc(t.title)}</h3>\n`;
  return `${title}<table><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody>${foot}</table>${t.note ? `<p class="note">${esc(t.note)}</p>` : ''}`;
}

function sectionHtml(s: ReportSection, lang: Lang, one: boolean): string {
  const l = labels(lang);
  // A section with a wide table is printed on landscape pages (no table overflows its page).
  const wide = s.tables.some((t) => t.columns.length >= 10);
  const parts = [`<section id="${esc(s.id)}"${wide ? ' class="wide"' : ''}><h2>${esc(s.title)}</h2>`, ...s.paragraphs.map((p) => `<p>${esc(p)}</p>`)];
  for (const m of s.heatMaps) {
    parts.push(`<h3>${esc(m.title)}</h3><div class="chart" role="img" aria-label="${esc(m.title)}">${heatMapSvg(m, lang)}</div>`);
    parts.push(`<p class="note legend">${esc(one ? l.heatNoteOne : l.heatNote)}<br><span style="background:${HEAT_COLOURS.met}"></span>≥ ${esc(formatPercent(m.targetPercent, lang, 2))}<span style="background:${HEAT_COLOURS.below}"></span>&lt; ${esc(formatPercent(m.targetPercent, lang, 2))}<span style="background:${HEAT_COLOURS.bad}"></span>&lt; ${esc(formatPercent(90, lang, 0))}<span style="background:${HEAT_COLOURS.none}"></span>${esc(l.noData)}</p>`);
  }
  for (const t of s.tables) {
    if (t.rows.length === 0) {
      // An empty table: its CSV has the header; the page says so once (the section may already have).
      if (s.paragraphs.length === 0) parts.push(`<p class="note">${esc(t.title === s.title ? '' : `${t.title}${colon(lang)}`)}${esc(l.noRows)}</p>`);
      continue;
    }
    if (t.id.endsWith('-daily')) {
      const availability = t.columns.findIndex((c) => c.key === 'availability_percent');
      const values = t.rows.map((r) => (typeof r[availability] === 'number' ? (r[availability] as number) : null));
      const target = s.heatMaps[0]?.targetPercent ?? 100;
      if (values.some((v) => v !== null)) parts.push(`<h3>${esc(l.dailyChart)}</h3><div class="chart" role="img" aria-label="${esc(`${l.dailyChart} — ${t.title}`)}">${dailyBarsSvg(`${t.id}-bars`, t.rows.map((r) => String(r[0])), values, target, lang)}</div>`);
    }
    parts.push(tableHtml(t, lang, s.title));
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** The HTML page of `model`. */
export function renderHtml(model: ReportModel): string {
  const { lang } = model;
  const l = labels(lang);
  const est = model.establishment ? `${model.establishment.name} (${model.establishment.uai})` : null;
  const cover = [
    `<section class="cover"><h1>${esc(model.title)}</h1>`,
    est ? `<p><strong>${esc(est)}</strong></p>` : '',
    '<dl>',
    `<dt>${esc(l.contract)}</dt><dd>${esc(model.contract.name ?? model.contract.id)} (${esc(model.contract.id)})</dd>`,
    `<dt>${esc(l.provider)}</dt><dd>${esc(model.contract.provider ?? '—')}</dd>`,
    `<dt>${esc(l.period)}</dt><dd>${esc(model.period.title)}${colon(lang)}${esc(longDateTime(model.period.from, lang))} → ${esc(longDateTime(model.period.to, lang))}</dd>`,
    `<dt>${esc(l.zone)}</dt><dd>${esc(model.contract.timezone)}</dd>`,
    `<dt>${esc(l.generatedAt)}</dt><dd>${esc(longDateTime(model.generatedAt, lang))}</dd>`,
    `<dt>${esc(l.version)}</dt><dd>${esc(model.vigieVersion)}</dd>`,
    `<dt>${esc(l.revisionsUsed)}</dt><dd>${esc(model.revisions.join(', ') || '—')}</dd>`,
    '</dl>',
    '<ul>',
    ...model.headlines.map((h) => `<li>${esc(h.name)}${colon(lang)}<span class="verdict-${h.verdict}">${h.availabilityPercent === null ? '' : `${esc(formatPercent(h.availabilityPercent, lang, 2))} — `}${esc(h.verdictLabel)}</span> (${esc(l.target.toLowerCase())} ${esc(formatPercent(h.targetPercent, lang, 2))})</li>`),
    '</ul></section>',
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(model.title)} — ${esc(model.period.title)}</title>`,
    `<meta name="generator" content="Vigie ${esc(model.vigieVersion)}"><style>${CSS}</style></head><body>`,
    cover,
    ...model.sections.map((s) => sectionHtml(s, lang, model.establishment !== null)),
    '</body></html>',
    '',
  ].join('\n');
}
