/**
 * Fictitious test data of the sandbox ENT: two establishments of the académie de Reims (Marne, zone B), each with one
 * test class, three test pupils and three accounts. Every name here is invented. The CLI builds the demo config from
 * {@link sandboxFixtures}; journeys' expected texts come from `expected`.
 *
 * UAIs carry a valid check letter (7-digit number modulo 23 in "ABCDEFGHJKLMNPRSTUVWXYZ"); the sandbox does not import
 * core/uai.ts (DESIGN.md §4), its tests check the letters with it.
 */

/** Persona role of an account (same words as core/profile.ts `personaRole`). */
export type SandboxRole = 'teacher' | 'parent' | 'pupil';

/** Which identity provider authenticates an account: pupils/parents (ÉduConnect role) or staff (académie role). */
export type SandboxIdp = 'idp' | 'idp-agents';

export interface SandboxAccount {
  username: string;
  password: string;
  role: SandboxRole;
  /** Shown on the ENT home page as "Bienvenue, <displayName>". */
  displayName: string;
  idp: SandboxIdp;
  /** Parent: the followed child; pupil: the account's own pupil id. */
  pupilId?: string;
}

export interface SandboxPupil {
  id: string;
  name: string;
}

export interface SandboxClass {
  id: string;
  name: string;
  pupils: SandboxPupil[];
}

/** A grade as shown on `/notes`: `<subject> : <value>` (e.g. "Mathématiques : 15/20"). */
export interface SandboxGrade {
  subject: string;
  value: string;
}

/** A homework entry as shown on `/cahier-de-textes`: `<subject> : <text>`. */
export interface SandboxHomework {
  subject: string;
  text: string;
}

export interface SandboxEstablishment {
  /** UAI with a valid check letter. */
  uai: string;
  name: string;
  kind: 'lycee' | 'college';
  academie: string;
  /** Département code (Marne). */
  departement: string;
  /** School-holiday zone. */
  zone: string;
  /** Host name of this establishment's ENT (the URL is `http://<entHost>:<port>`). */
  entHost: string;
  /** The dedicated test class (the only class whose roll call probes may touch). */
  testClass: SandboxClass;
  accounts: { teacher: SandboxAccount; parent: SandboxAccount; pupil: SandboxAccount };
  /** What the parent pages show for the followed child when no wrong-data fault is set. */
  expected: { grades: SandboxGrade[]; homework: SandboxHomework[] };
}

export interface SandboxFixtures {
  establishments: SandboxEstablishment[];
}

const grades: SandboxGrade[] = [
  { subject: 'Mathématiques', value: '15/20' },
  { subject: 'Français', value: '12,5/20' },
  { subject: 'Histoire-géographie', value: '14/20' },
];

const homework: SandboxHomework[] = [
  { subject: 'Mathématiques', text: 'Exercices 12 à 15 page 48' },
  { subject: 'Français', text: 'Lire le chapitre 3 du roman' },
];

/** The sandbox's establishments, classes, pupils and accounts (all fictitious). */
export const sandboxFixtures: SandboxFixtures = {
  establishments: [
    {
      uai: '0519990G',
      name: 'Lycée bac à sable Vigie',
      kind: 'lycee',
      academie: 'Reims',
      departement: '51',
      zone: 'B',
      entHost: 'lycee-sandbox.localhost',
      testClass: {
        id: 'TEST-2NDE',
        name: 'Seconde de test',
        pupils: [
          { id: 'LYC-E01', name: 'Léa Testard' },
          { id: 'LYC-E02', name: 'Hugo Essai' },
          { id: 'LYC-E03', name: 'Inès Maquette' },
        ],
      },
      accounts: {
        teacher: {
          username: 'prof.lycee',
          password: 'sandbox-prof-lycee',
          role: 'teacher',
          displayName: 'Claire Exemple',
          idp: 'idp-agents',
        },
        parent: {
          username: 'parent.lycee',
          password: 'sandbox-parent-lycee',
          role: 'parent',
          displayName: 'Marc Testard',
          idp: 'idp',
          pupilId: 'LYC-E01',
        },
        pupil: {
          username: 'eleve.lycee',
          password: 'sandbox-eleve-lycee',
          role: 'pupil',
          displayName: 'Léa Testard',
          idp: 'idp',
          pupilId: 'LYC-E01',
        },
      },
      expected: { grades, homework },
    },
    {
      uai: '0519991H',
      name: 'Collège bac à sable Vigie',
      kind: 'college',
      academie: 'Reims',
      departement: '51',
      zone: 'B',
      entHost: 'college-sandbox.localhost',
      testClass: {
        id: 'TEST-6E',
        name: 'Sixième de test',
        pupils: [
          { id: 'COL-E01', name: 'Noé Fictif' },
          { id: 'COL-E02', name: 'Jade Démo' },
          { id: 'COL-E03', name: 'Tom Simulé' },
        ],
      },
      accounts: {
        teacher: {
          username: 'prof.college',
          password: 'sandbox-prof-college',
          role: 'teacher',
          displayName: 'Paul Modèle',
          idp: 'idp-agents',
        },
        parent: {
          username: 'parent.college',
          password: 'sandbox-parent-college',
          role: 'parent',
          displayName: 'Sophie Fictif',
          idp: 'idp',
          pupilId: 'COL-E01',
        },
        pupil: {
          username: 'eleve.college',
          password: 'sandbox-eleve-college',
          role: 'pupil',
          displayName: 'Noé Fictif',
          idp: 'idp',
          pupilId: 'COL-E01',
        },
      },
      expected: { grades, homework },
    },
  ],
};

/** What the wrong-data fault shows instead: another child's name and figures (a privacy and integrity failure). */
export const wrongChild = {
  name: 'Enfant Inconnu',
  grades: [
    { subject: 'Mathématiques', value: '4/20' },
    { subject: 'Français', value: '7/20' },
  ] satisfies SandboxGrade[],
  homework: [{ subject: 'Anglais', text: 'Rédiger une lettre (sujet d’un autre élève)' }] satisfies SandboxHomework[],
};

/** Finds an account by username across every establishment. */
export function findAccount(
  fixtures: SandboxFixtures,
  username: string,
): { account: SandboxAccount; establishment: SandboxEstablishment } | undefined {
  for (const establishment of fixtures.establishments) {
    for (const account of Object.values(establishment.accounts)) {
      if (account.username === username) return { account, establishment };
    }
  }
  return undefined;
}
