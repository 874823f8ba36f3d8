import { errors, type Page, type Response } from 'playwright-core';
import { cleanMessage, stripQuery } from './classify.js';
import { JourneyFailure } from './journey.js';

/**
 * `ctx.goto` of the journey context (attempt-context.ts): a navigation within the step timeout whose failures are
 * typed here, where the cause is still known (a timeout, a navigation error, an HTTP error status), so the step
 * classification never has to read a message. Also the seconds format shared by the timeout reasons.
 */

/**
 * Navigates `page` to `url` within `timeoutMs` (ms). Throws a {@link JourneyFailure}: `timeout` when no page came in
 * time, `network` for a navigation error (DNS, TLS, refused, reset; `secrets` redacted from the message), `http` for a
 * status ≥ 400 (with `httpStatus`). A page closed under the navigation rethrows Playwright's error as is (a crash is
 * the attempt's to detect). URLs in messages have no query string.
 */
export async function gotoChecked(page: Page, url: string, timeoutMs: number, secrets: readonly string[]): Promise<Response | null> {
  let response;
  try {
    response = await page.goto(url, { timeout: timeoutMs });
  } catch (err) {
    if (err instanceof errors.TimeoutError) throw new JourneyFailure('timeout', `no page at ${stripQuery(url)} within ${formatSeconds(timeoutMs)} s`, { cause: err });
    if (page.isClosed()) throw err;
    // goto rejects without a response only for navigation errors (DNS, TLS, refused, reset).
    throw new JourneyFailure('network', `${stripQuery(url)}: ${cleanMessage(err, secrets)}`, { cause: err });
  }
  const status = response?.status();
  if (status !== undefined && status >= 400) {
    throw new JourneyFailure('http', `HTTP ${status} on ${stripQuery(url)}`, { httpStatus: status });
  }
  return response;
}

/** Milliseconds as seconds with at most one decimal (`30`, `1.5`), as written in reasons (`timeout after 30 s`). */
export function formatSeconds(ms: number): string {
  return String(Math.round((ms / 1000) * 10) / 10);
}
