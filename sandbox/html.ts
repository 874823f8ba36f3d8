/** HTML helpers of the sandbox's pages (French, minimal, no script except the identity providers' auto-submit). */

/** Escapes text for HTML content and attribute values. */
export function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const style = `body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f5f6f8}
header{background:#2b4c7e;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff}main{padding:1rem;max-width:52rem}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.3rem .6rem}
.error{color:#a00000;font-weight:bold}[data-saved]{color:#0a6b2a;font-weight:bold}li[data-current="true"]{font-weight:bold}
nav a{margin-right:1rem}`;

/** A whole page. `party` names the site in the banner (SSO, identity provider, establishment). */
export function page(title: string, party: string, body: string, headerExtra = ''): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${esc(title)} — ${esc(party)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style}</style></head>
<body><header><strong>${esc(party)}</strong>${headerExtra}</header>
<main>${body}</main></body></html>`;
}

/** Error page with a `data-error` code that tests and journeys can read. */
export function errorPage(party: string, status: number, code: string, message: string): string {
  return page(`Erreur ${status}`, party, `<h1>Erreur ${status}</h1><p class="error" data-error="${esc(code)}">${esc(message)}</p>`);
}
