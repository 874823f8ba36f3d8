import type { EntProfile } from '../../core/profile.js';

/**
 * Profile of Vigie's sandbox ENT (`sandbox/`). It is also the markup contract of the sandbox: the sandbox's pages carry
 * exactly these selectors, and sandbox tests check it. Copy this file to describe another ENT family.
 */
export const sandboxProfile: EntProfile = {
  id: 'sandbox',
  name: 'ENT bac à sable Vigie',
  login: {
    startUrl: '{ent}/',
    stages: [
      // "Où êtes-vous ?" page of the SSO (WAYF): pupils and parents go to the ÉduConnect-like identity provider,
      // staff to the académie identity provider.
      { name: 'wayf', action: 'click', selector: '[data-wayf="eleves-parents"]', roles: ['parent', 'pupil'], optional: false },
      { name: 'wayf', action: 'click', selector: '[data-wayf="personnels"]', roles: ['teacher', 'staff'], optional: false },
      { name: 'idp-profile', action: 'click', selector: '[data-profile="parent"]', roles: ['parent'], optional: false },
      { name: 'idp-profile', action: 'click', selector: '[data-profile="eleve"]', roles: ['pupil'], optional: false },
      {
        name: 'credentials',
        action: 'credentials',
        usernameSelector: '#username',
        passwordSelector: '#password',
        submitSelector: 'button[type="submit"]',
        // Shown by both identity providers when they refuse the account (sandbox/idp.ts `sendForm`).
        credentialsErrorSelector: '[data-error="credentials"]',
        optional: false,
      },
      { name: 'landing', action: 'expect', selector: '[data-testid="home"]', text: 'Bienvenue', optional: false },
    ],
  },
  logout: {
    selector: '#logout',
    loggedOutSelector: '[data-wayf]',
    ssoLoginUrl: '{sso}/login?service={ent}/',
    credentialsSelector: '#password, [data-wayf], [data-profile]',
    ssoCookieName: 'CASTGC',
  },
  rollCall: {
    timetableUrl: '{ent}/emploi-du-temps',
    currentLessonSelector: '[data-lesson][data-class="{class}"][data-current="true"] a',
    rosterRowSelector: 'tr[data-pupil]',
    pupilIdAttribute: 'data-pupil',
    absentSelector: 'tr[data-pupil="{pupil}"] input[name="absent"]',
    validateSelector: '#valider',
    savedSelector: '[data-saved]',
  },
  parent: {
    absencesUrl: '{ent}/absences',
    absenceSelector: '[data-absence-pupil="{pupil}"]',
    gradesUrl: '{ent}/notes',
    homeworkUrl: '{ent}/cahier-de-textes',
  },
  masks: ['.pupil-name', '[data-personal]'],
  waitingQueueText: "File d'attente",
};
