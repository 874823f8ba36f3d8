/**
 * Flags for a headless Chromium that Vigie starts (probes, report PDFs): no sandbox (containers), no GPU, no
 * background traffic that would skew timings or reach the Internet, no crash uploads, no /dev/shm (small in containers).
 */
export const DEFAULT_LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-dev-shm-usage',
];
