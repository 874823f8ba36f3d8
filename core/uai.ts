/**
 * UAI (Unité Administrative Immatriculée, formerly RNE): 7 characters (3-digit département code, Corsica `620`/`720`
 * kept as digits, then 4 digits) and a check letter. The letter is the 7-digit number modulo 23 taken in the alphabet
 * without I, O and Q (source: ministère de l'Éducation nationale, "Répertoire national des établissements", clé de
 * contrôle de l'UAI; checked on 0750654D, lycée Henri-IV).
 */
const KEY_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** Returns null when the UAI is valid, else the reason, French then English. */
export function checkUai(uai: string): string | null {
  const problem = uaiProblem(uai);
  return problem && `${problem.fr} / ${problem.en}`;
}

/** {@link checkUai}'s reason in each language, for a caller that words its own message around it. */
export function uaiProblem(uai: string): { fr: string; en: string } | null {
  if (!/^\d{7}[A-Z]$/.test(uai)) return { fr: '7 chiffres puis une lettre majuscule attendus, par exemple 0511234A', en: 'expected 7 digits and a capital letter, e.g. 0511234A' };
  const expected = uaiCheckLetter(uai.slice(0, 7));
  if (uai[7] !== expected) return { fr: `la lettre de contrôle devrait être ${expected} pour ${uai.slice(0, 7)}`, en: `check letter should be ${expected} for ${uai.slice(0, 7)}` };
  return null;
}

/** The check letter of a 7-digit UAI stem. */
export function uaiCheckLetter(stem: string): string {
  const letter = KEY_LETTERS[Number(stem) % 23];
  if (letter === undefined) throw new RangeError(`not a 7-digit UAI stem: ${stem}`);
  return letter;
}
