import { z } from 'zod';

/**
 * ENT profile: everything a journey needs to know about one family of ENT (URLs, selectors, WAYF choices, texts to
 * expect), so that pointing Vigie at another ENT of a known family needs a profile, never code (DESIGN.md §2).
 *
 * URLs are templates: `{ent}` is the tenant's ENT base URL (no trailing slash), `{sso}` the target's SSO base URL.
 * Selectors are Playwright selectors (CSS, `text=…`, `role=…`, `:has-text()`); `{class}` and `{pupil}` are replaced by
 * the test class and test pupil ids of the config. Text matching is exact substring, case-sensitive.
 */

export const personaRole = z.enum(['teacher', 'parent', 'pupil', 'staff']);
export type PersonaRole = z.infer<typeof personaRole>;

const stageBase = {
  /** Step name recorded for this stage (`wayf`, `idp-profile`, `credentials`, `landing`, …). */
  name: z.string().min(1),
  /** Only for these persona roles; absent = every role. */
  roles: z.array(personaRole).optional(),
  /**
   * An optional stage is skipped when its element does not show within `waitMs` (a WAYF remembered by a cookie, a
   * consent page shown once). A required stage fails the run.
   */
  optional: z.boolean().default(false),
  /** How long to wait for the stage's element, in ms (default: the journey's step timeout). */
  waitMs: z.number().int().positive().optional(),
};

/** Click one element (WAYF choice, identity-provider profile choice, consent, establishment choice). */
const clickStage = z.strictObject({ ...stageBase, action: z.literal('click'), selector: z.string().min(1) });

/** Fill the persona's username and password and submit. Runs outside trace recording (secrets). */
const credentialsStage = z.strictObject({
  ...stageBase,
  action: z.literal('credentials'),
  usernameSelector: z.string().min(1),
  passwordSelector: z.string().min(1),
  submitSelector: z.string().min(1),
  /**
   * Element the identity provider shows when it refuses the credentials (wrong or expired password, unknown account).
   * The stages after this one race their element against it, so a rejected login ends the run at once as `error`
   * (kind `credentials`, our side) instead of waiting for the landing check to time out as an outage.
   */
  credentialsErrorSelector: z.string().min(1).optional(),
});

/** Wait until an element (and optionally a text) is visible: the landing check. */
const expectStage = z.strictObject({
  ...stageBase,
  action: z.literal('expect'),
  selector: z.string().min(1),
  text: z.string().optional(),
});

export const loginStage = z.discriminatedUnion('action', [clickStage, credentialsStage, expectStage]);
export type LoginStage = z.infer<typeof loginStage>;

export const entProfile = z.strictObject({
  /** Profile id referenced by targets (`sandbox`, `kosmos-mbn`, …). */
  id: z.string().min(1),
  name: z.string().min(1),
  login: z.strictObject({
    /** First URL a user opens, e.g. `{ent}/`. */
    startUrl: z.string().min(1),
    /** The login chain, in order: WAYF choice, identity-provider choices, credentials, extra pages, landing check. */
    stages: z.array(loginStage).min(1),
  }),
  logout: z.strictObject({
    /** The ENT's own logout button or link. */
    selector: z.string().min(1),
    /** An element that shows the user is logged out / asked to log in again. */
    loggedOutSelector: z.string().min(1),
    /** SSO login URL used to check the SSO session really ended (`{sso}/login?service=…`). */
    ssoLoginUrl: z.string().min(1).optional(),
    /** Identity-provider URLs per role, to check its own session ended. */
    idpLoginUrls: z.record(z.string(), z.string()).optional(),
    /** Name of the SSO's ticket-granting cookie (replayed in a fresh context to check it is refused). */
    ssoCookieName: z.string().min(1).optional(),
    /** An element that means "asked for credentials" on the SSO or identity provider. */
    credentialsSelector: z.string().min(1).optional(),
  }),
  rollCall: z.strictObject({
    /** Timetable page (`{ent}/…`). */
    timetableUrl: z.string().min(1),
    /** Link to the current lesson of the test class (`{class}` replaced). */
    currentLessonSelector: z.string().min(1),
    /** One roster row per pupil; the pupil id is read from `pupilIdAttribute`. */
    rosterRowSelector: z.string().min(1),
    pupilIdAttribute: z.string().min(1),
    /** Checkbox that marks a pupil absent (`{pupil}` replaced). Checked = absent. */
    absentSelector: z.string().min(1),
    /** "Valider l'appel". */
    validateSelector: z.string().min(1),
    /** Shown after the ENT acknowledged the save. */
    savedSelector: z.string().min(1),
  }),
  parent: z
    .strictObject({
      absencesUrl: z.string().min(1),
      /** An absence row of the test pupil (`{pupil}` replaced). */
      absenceSelector: z.string().min(1),
      gradesUrl: z.string().min(1).optional(),
      homeworkUrl: z.string().min(1).optional(),
    })
    .optional(),
  /** Selectors of personal data masked on every screenshot. */
  masks: z.array(z.string()).default([]),
  /** Text a page shows when a waiting queue holds users back (counts as down). */
  waitingQueueText: z.string().optional(),
});
export type EntProfile = z.infer<typeof entProfile>;

/** Replaces `{name}` placeholders; unknown placeholders are left as they are so the error shows them. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}
