import type { Lang } from '../core/text-format.js';

/**
 * The method section: the rules of DESIGN.md §5 in plain words, so a reader who is not an engineer can check how each
 * figure was made. Kept beside the code that applies them (core/sla); a rule changed there is changed here.
 */
const FR = [
  'Les sondes de Vigie parcourent l’ENT comme un utilisateur : connexion par le SSO, appel, vue des familles, déconnexion. Chaque parcours est lancé à heure fixe, dans des créneaux (par exemple toutes les 5 minutes) ; chaque créneau reçoit un état : disponible, dégradé (réussi mais lent), indisponible, erreur de sonde, non exécuté, en pause, maintenance, ou hors surveillance (avant la création de l’établissement).',
  'Seules comptent les minutes des heures de service de chaque clause (par exemple du lundi au vendredi de 7 h à 19 h, heure de Paris), moins les vacances scolaires et les jours fériés quand la clause le dit (calendrier officiel du ministère par zone ; le lundi de Pâques et, en Alsace-Moselle, le Vendredi saint et la Saint-Étienne). Les jours que le calendrier importé ne couvre pas sont signalés « calendrier manquant » et ne sont pas comptés.',
  'Disponibilité = minutes disponibles (dont dégradées) ÷ (minutes comptées − minutes exclues − minutes inconnues). Couverture = minutes observées ÷ (minutes comptées − minutes exclues). Les minutes de plusieurs établissements ou parcours s’additionnent : on ne fait jamais la moyenne de pourcentages. Une période sans observation n’a pas de disponibilité (« pas de données »).',
  'Une erreur de sonde ou un créneau non exécuté est une minute inconnue : elle ne compte ni pour ni contre le prestataire, mais fait baisser la couverture. Chaque panne est attribuée à une partie (prestataire de l’ENT, ÉduConnect, fournisseur d’identité académique, réseau de l’établissement, Vigie) ; une clause ne compte que les parties qu’elle nomme, les autres minutes sont exclues et listées.',
  'Une fenêtre de maintenance annoncée avec le préavis de la clause est exclue du calcul ; annoncée trop tard, ses minutes comptent comme mesurées (et comme indisponibles si les sondes étaient arrêtées). Une correction après coup exclut une période avec un motif et un auteur ; rien n’est effacé : le rapport donne les chiffres bruts et corrigés.',
  'Un épisode de panne est une suite de créneaux indisponibles ; sa durée de rétablissement est comptée en heures de service, du début du premier créneau indisponible à la fin du dernier. Les pénalités sont calculées ligne par ligne à partir des paliers de disponibilité et des dépassements de délai de rétablissement, avec les plafonds mensuels et annuels du contrat.',
  'Les heures sont données en heure légale de Paris avec leur décalage (+01:00 ou +02:00) ; un jour de changement d’heure compte 23 ou 25 heures. Les chiffres viennent des révisions de configuration enregistrées à l’époque des mesures, jamais du fichier du jour.',
];

const EN = [
  'Vigie’s probes walk the ENT as a user does: login through the SSO, roll call, the parents’ view, logout. Each journey runs at fixed times, in slots (for instance every 5 minutes); each slot gets a state: up, degraded (passed but slow), down, probe error, missed, paused, maintenance, or not monitored (before the school was created).',
  'Only the minutes of each clause’s service hours count (for instance Monday to Friday 07:00–19:00 Paris time), minus school holidays and public holidays when the clause says so (the ministry’s official calendar per zone; Easter Monday and, in Alsace-Moselle, Good Friday and St Stephen’s Day). Days the imported calendar does not cover are flagged “missing calendar” and not counted.',
  'Availability = up minutes (degraded included) ÷ (counted minutes − excluded − unknown). Coverage = observed minutes ÷ (counted minutes − excluded). The minutes of several schools or journeys are added up: percentages are never averaged. A period with nothing observed has no availability (“no data”).',
  'A probe error or a missed slot is an unknown minute: it counts neither for nor against the provider, but lowers coverage. Each failure is attributed to a party (ENT provider, ÉduConnect, académie identity provider, school network, Vigie); a clause counts only the parties it names, other minutes are excluded and listed.',
  'A maintenance window announced with the clause’s notice is excluded; announced too late, its minutes count as measured (and as down if the probes were stopped). A correction after the fact excludes a period with a reason and an author; nothing is deleted: the report gives raw and corrected figures.',
  'An outage episode is a run of down slots; its time to restore is counted in service hours, from the start of the first down slot to the end of the last. Penalties are computed line by line from the availability tiers and time-to-restore overruns, with the contract’s monthly and yearly caps.',
  'Times are Paris legal time with their offset (+01:00 or +02:00); a DST change day lasts 23 or 25 hours. Figures come from the config revisions stored when the measurements were made, never from today’s file.',
];

/** The method paragraphs in `lang`. */
export function methodParagraphs(lang: Lang): string[] {
  return lang === 'fr' ? [...FR] : [...EN];
}
