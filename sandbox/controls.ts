import type { SandboxPupil } from './fixtures.js';
import type { AbsenceRecord, Sheet, Store } from './store.js';
import type { World } from './world.js';

/** The sandbox clock as tests drive it (in-process `handle.clock`, admin `POST /clock`). */
export interface SandboxClock {
  /** The ENT's current time (fixed or the base clock). */
  now(): Date;
  /** Fixes the ENT's clock (timetable, dates shown); expiry and delays keep running on the base clock. */
  fix(at: Date | string): void;
  /** Back to the base clock. */
  release(): void;
  /** The fixed instant, or null. */
  fixedAt(): Date | null;
}

/** Roster changes (in-process `handle.roster`, admin `POST /roster`). */
export interface SandboxRoster {
  /** Adds a non-test pupil to a class (to test the probes' safety abort). Throws on an unknown UAI or class. */
  add(uai: string, classId: string, pupil: SandboxPupil): void;
  /** Removes every added pupil. */
  reset(): void;
}

/** Session counts per party (live ones). */
export interface SessionCounts {
  sso: number;
  idp: number;
  idpAgents: number;
  ent: number;
}

/** JSON of `GET /state`. */
export interface SandboxSnapshot {
  clock: { now: string; fixedAt: string | null };
  sheets: Sheet[];
  absences: AbsenceRecord[];
  rosterAdditions: Record<string, SandboxPupil[]>;
  sessions: SessionCounts;
}

/** Read access to the sandbox state for tests (in-process `handle.state`, admin `GET /state`). */
export interface SandboxState {
  sheets(): Sheet[];
  absences(): AbsenceRecord[];
  sessions(): SessionCounts;
  snapshot(): SandboxSnapshot;
  /** Forgets sheets, absences and roster additions; sessions and faults are kept. */
  resetData(): void;
}

export function createClock(baseNow: () => Date): SandboxClock & { fixedMs: number | null } {
  const clock = {
    fixedMs: null as number | null,
    now: () => (clock.fixedMs === null ? baseNow() : new Date(clock.fixedMs)),
    fix(at: Date | string) {
      const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
      if (Number.isNaN(ms)) throw new RangeError(`invalid instant: ${String(at)}`);
      clock.fixedMs = ms;
    },
    release() {
      clock.fixedMs = null;
    },
    fixedAt: () => (clock.fixedMs === null ? null : new Date(clock.fixedMs)),
  };
  return clock;
}

export function createRoster(world: World): SandboxRoster {
  return {
    add(uai, classId, pupil) {
      const establishment = world.fixtures.establishments.find((e) => e.uai === uai);
      if (!establishment) throw new RangeError(`unknown UAI ${uai}`);
      if (establishment.testClass.id !== classId) throw new RangeError(`unknown class ${classId} in ${uai}`);
      if (!pupil.id || !pupil.name) throw new RangeError('pupil needs an id and a name');
      const key = `${uai}/${classId}`;
      world.store.extraPupils.set(key, [...(world.store.extraPupils.get(key) ?? []), { id: pupil.id, name: pupil.name }]);
    },
    reset() {
      world.store.extraPupils.clear();
    },
  };
}

export function createStateView(world: World, clock: SandboxClock): SandboxState {
  const store: Store = world.store;
  const sessions = (): SessionCounts => ({
    sso: store.tgts.size,
    idp: store.idpSessions.idp.size,
    idpAgents: store.idpSessions['idp-agents'].size,
    ent: store.entSessions.size,
  });
  return {
    sheets: () => structuredClone([...store.sheets.values()]),
    absences: () => structuredClone(store.absences),
    sessions,
    snapshot: () => ({
      clock: { now: clock.now().toISOString(), fixedAt: clock.fixedAt()?.toISOString() ?? null },
      sheets: structuredClone([...store.sheets.values()]),
      absences: structuredClone(store.absences),
      rosterAdditions: Object.fromEntries(structuredClone([...store.extraPupils.entries()])),
      sessions: sessions(),
    }),
    resetData: () => store.resetData(),
  };
}
