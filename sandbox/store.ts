import type { SandboxIdp, SandboxPupil } from './fixtures.js';

/** In-memory state of one sandbox instance: sessions, tickets, roll-call sheets, absences, roster additions. */

/** SSO ticket-granting ticket (value of the `CASTGC` cookie). */
export interface Tgt {
  id: string;
  username: string;
  idp: SandboxIdp;
  /** Identity-provider session that vouched for the user (ended by single logout). */
  idpSessionId: string;
  createdAtMs: number;
  /** Service tickets issued under this TGT (their ids are the ENT sessions' SessionIndex for single logout). */
  services: { service: string; ticket: string }[];
}

/** CAS service ticket `ST-…`: single use, short-lived. */
export interface ServiceTicket {
  id: string;
  service: string;
  username: string;
  tgtId: string;
  expiresAtMs: number;
}

/** Assertion posted by an identity provider to the SSO (`SAMLResponse` value): single use, short-lived. */
export interface Assertion {
  id: string;
  username: string;
  idp: SandboxIdp;
  idpSessionId: string;
  expiresAtMs: number;
}

export interface IdpSession {
  id: string;
  username: string;
  createdAtMs: number;
}

export interface EntSession {
  id: string;
  uai: string;
  username: string;
  /** The service ticket that opened the session (CAS SessionIndex). */
  ticket: string;
  createdAtMs: number;
}

/** A saved roll-call sheet (checked = absent). */
export interface Sheet {
  uai: string;
  lessonId: string;
  classId: string;
  absent: string[];
  savedAt: string;
  saves: number;
}

/** An absence as the vie scolaire sees it; `visibleAt` null = lost (never reaches the parent). */
export interface AbsenceRecord {
  uai: string;
  pupilId: string;
  lessonId: string;
  recordedAt: string;
  visibleAt: string | null;
}

export class Store {
  readonly tgts = new Map<string, Tgt>();
  readonly tickets = new Map<string, ServiceTicket>();
  readonly assertions = new Map<string, Assertion>();
  readonly idpSessions: Record<SandboxIdp, Map<string, IdpSession>> = { idp: new Map(), 'idp-agents': new Map() };
  readonly entSessions = new Map<string, EntSession>();
  readonly sheets = new Map<string, Sheet>();
  absences: AbsenceRecord[] = [];
  /** Non-test pupils added to a class through `POST /roster`, by `<uai>/<classId>`. */
  readonly extraPupils = new Map<string, SandboxPupil[]>();

  sheetKey(uai: string, lessonId: string): string {
    return `${uai}/${lessonId}`;
  }

  /**
   * Drops expired tickets and assertions, and sessions older than `sessionTtlMs`, so that a demo probing every minute
   * for months keeps a bounded memory (a login that never logs out leaves three sessions behind).
   */
  sweep(nowMs: number, sessionTtlMs: number): void {
    for (const [id, t] of this.tickets) if (t.expiresAtMs < nowMs) this.tickets.delete(id);
    for (const [id, a] of this.assertions) if (a.expiresAtMs < nowMs) this.assertions.delete(id);
    const old = (s: { createdAtMs: number }) => nowMs - s.createdAtMs > sessionTtlMs;
    for (const [id, t] of this.tgts) if (old(t)) this.tgts.delete(id);
    for (const map of Object.values(this.idpSessions)) for (const [id, s] of map) if (old(s)) map.delete(id);
    for (const [id, s] of this.entSessions) if (old(s)) this.entSessions.delete(id);
  }

  /** Forgets sheets, absences and roster additions (sessions are kept). */
  resetData(): void {
    this.sheets.clear();
    this.absences = [];
    this.extraPupils.clear();
  }
}
