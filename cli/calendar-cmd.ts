import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { VigieError } from '../core/errors.js';
import { normalizeCalendarLocation } from '../db/index.js';
import { calendarZone, parseCalendarFile } from '../engine/index.js';
import { currentUser, openSlaBackend, withUsageErrors } from './sla-access.js';
import { formatLocalTime } from '../core/text-format.js';

/**
 * `vigie calendar import <file> [--zone B] [--academie Reims]`: parses the ministry's ICS or JSON export (format by
 * extension, else by content) and stores it for its zone (from `--zone`, else from the file's lines, e.g.
 * "Zone B"). Importing the same file again stores nothing. Exit 2 when the file cannot be read or parsed, or when
 * `--zone` contradicts the zone the file names (Zone-B.ics imported as zone A would silently give zone A schools
 * zone B holidays) unless `--force`.
 */
export async function runCalendarImport(
  file: string,
  opts: { zone?: string; academie?: string; author?: string; config?: string; dataDir?: string; force?: boolean },
  log: (s: string) => void = (s) => console.log(s),
): Promise<number> {
  return withUsageErrors(async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new VigieError('VALIDATION', `file: ${file} illisible : ${(err as Error).message} / cannot read ${file}: ${(err as Error).message}`);
    }
    const calendar = parseCalendarFile(basename(file), text, { location: opts.academie });
    if (calendar.holidays.length === 0) throw new VigieError('VALIDATION', `${basename(file)}: aucune période de vacances (élèves) / no pupils' holiday in the file`);
    const named = calendarZone(calendar);
    if (opts.zone !== undefined && named !== null && normalizeCalendarLocation(opts.zone) !== named && !opts.force) {
      throw new VigieError('VALIDATION', `--zone: ${basename(file)} est le calendrier de la zone ${named}, pas ${opts.zone} / the file is zone ${named}'s calendar, not ${opts.zone} (--force to import it anyway)`);
    }
    const zone = opts.zone ?? named;
    if (!zone) throw new VigieError('VALIDATION', '--zone : le fichier ne nomme pas une zone unique ; donnez --zone (B, Corse, …) / the file names no single zone; give --zone (B, Corse, …)');
    const access = await openSlaBackend(opts);
    try {
      const out = await access.backend.inputs.importCalendar(access.ctx, { location: zone, source: basename(file), calendar, actor: opts.author ?? currentUser() });
      const years = [...new Set(calendar.holidays.map((h) => h.schoolYear))];
      log(
        out.inserted
          ? `Calendrier ${out.calendar.location} importé (${calendar.holidays.length} périodes, ${years[0]} → ${years[years.length - 1]}) / imported.`
          : `Calendrier ${out.calendar.location} déjà importé le ${formatLocalTime(out.calendar.importedAt, await access.backend.inputs.timezone(access.ctx))} (${out.calendar.source}) : rien de nouveau / already imported.`,
      );
      return 0;
    } finally {
      await access.close();
    }
  });
}
