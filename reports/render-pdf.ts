import { chromium } from 'playwright-core';
import { VigieError } from '../core/errors.js';
import { DEFAULT_LAUNCH_ARGS } from '../core/chromium-flags.js';
import { escapeHtml } from './format.js';
import type { ReportModel } from './types.js';

/** Where Chromium is: `runner.chromiumPath` of the config (`playwright`: Playwright's own browser). */
export interface PdfOptions {
  chromiumPath: string;
}

/**
 * The PDF of a report: Chromium's print of its HTML (issue 11 item 4) — A4, page numbers in the footer ("page 3 / 12"),
 * the PDF outline from the headings, tagged for screen readers, backgrounds printed (the heat map). The PDF's dates are
 * the report's generation time, so two renders of the same data differ only where Chromium's own ids differ.
 * @throws VigieError `UNAVAILABLE` when Chromium cannot start (path in the message).
 */
export async function renderPdf(html: string, model: ReportModel, opts: PdfOptions): Promise<Buffer> {
  const browser = await chromium
    .launch({ ...(opts.chromiumPath === 'playwright' ? {} : { executablePath: opts.chromiumPath }), headless: true, args: DEFAULT_LAUNCH_ARGS })
    .catch((err: unknown) => {
      throw new VigieError('UNAVAILABLE', `Chromium n'a pas démarré (${opts.chromiumPath}) : le PDF ne peut pas être produit / Chromium did not start (${opts.chromiumPath}): no PDF`, { cause: err });
    });
  try {
    const page = await browser.newPage();
    // No network: the page is self-contained; anything it would fetch is refused.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      outline: true,
      tagged: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">${escapeHtml(model.title)} — ${escapeHtml(model.period.title)} — page <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
    });
    return normalisePdfDates(pdf, model.generatedAt);
  } finally {
    await browser.close();
  }
}


/**
 * Sets the PDF's `/CreationDate` and `/ModDate` to `iso` (the report's generation time, UTC) in place, same length,
 * so the cross-reference offsets stay right. A date of another length (not Skia's `D:YYYYMMDDHHmmss+00'00'`) is left.
 */
export function normalisePdfDates(pdf: Buffer, iso: string): Buffer {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+00'00'`;
  const text = pdf.toString('latin1');
  const out = text.replace(/\/(CreationDate|ModDate) \((D:[^)]*)\)/g, (m, key: string, value: string) => (value.length === stamp.length ? `/${key} (${stamp})` : m));
  return Buffer.from(out, 'latin1');
}
