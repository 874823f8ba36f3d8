import type { SandboxAccount, SandboxEstablishment } from './fixtures.js';
import { esc, page } from './html.js';
import type { Ctx } from './http-util.js';
import type { World } from './world.js';

/** What the page handlers get once the user is known. */
export interface EntCtx extends Ctx {
  world: World;
  establishment: SandboxEstablishment;
  account: SandboxAccount;
  entUrl: string;
}

/** An ENT page with the banner (establishment, user, `#logout`). */
export function entPage(ctx: EntCtx, title: string, body: string): string {
  const header = ` <span>${esc(ctx.establishment.name)}</span> <span data-personal>${esc(ctx.account.displayName)}</span>
<a id="logout" href="/logout">Se déconnecter</a>`;
  return page(title, 'ENT', body, header);
}

