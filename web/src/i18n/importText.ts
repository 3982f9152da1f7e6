import { i18next } from './index';

/**
 * The importer (src/imports) reports, for each object it read, a short English detail ("3 layer(s),
 * Asia/Shanghai") and, for each it could not carry over, a reason. They are written once on the server
 * and also printed by the CLI, so the console translates them here by pattern, keyed in the `server`
 * namespace (`imports.<key>`); a sentence no pattern knows (a newer server) stays as the server wrote it.
 */
const PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['noStart', /^has no start$/],
  ['frequencyNoRotation', /^frequency (?<frequency>.+) × (?<count>\d+) has no Tocsin rotation$/],
  ['zoneDiffers', /^its time zone (?<zone>.+) differs from the schedule's (?<scheduleZone>.+)$/],
  ['byDayOrder', /^OnCall hands over on each listed day only; Tocsin rotates every calendar period, so check the order$/],
  ['shiftNoRestriction', /^a (?<seconds>\d+) s shift every (?<count>\d+) (?<unit>\w+)\(s\) has no Tocsin restriction$/],
  ['stepNoEquivalent', /^step (?<type>.+) has no Tocsin equivalent$/],
  ['oncallNoMembers', /^OnCall's API does not list team members; add them in Tocsin$/],
  ['icalSchedule', /^iCal-based schedules are read from your calendar; rebuild the rotation in Tocsin$/],
  ['oncallIntegrationType', /^OnCall integration type (?<type>.+) has no Tocsin equivalent; add an integration for that tool by hand$/],
  ['typeNoRotation', /^type (?<type>.+) × (?<count>\d+) has no Tocsin rotation$/],
  ['noStartDate', /^has no startDate$/],
  ['participantLeftOut', /^participant of type (?<type>.+) is left out \(Tocsin rotates people\)$/],
  ['recipientNoTarget', /^recipient type (?<type>.+) has no Tocsin target$/],
  ['notifyTypeRead', /^notifyType (?<type>.+) is read as "whoever is on call now"$/],
  ['tooManyDelays', /^has more than 10 distinct delays; Tocsin keeps 10 levels$/],
  ['heartbeats', /^heartbeats: create a heartbeat integration in Tocsin by hand$/],
  ['turnNotWhole', /^a turn of (?<seconds>\d+) s is not a whole number \(1–30\) of hours, days or weeks$/],
  ['startMissing', /^start or rotation_virtual_start is missing$/],
  ['futureMidTurn', /^starts in the future in the middle of a turn; Tocsin starts it at the turn before$/],
  ['handoffSeconds', /^handoff time has seconds; Tocsin hands off on the minute$/],
  ['mixedRestrictions', /^mixes daily and weekly restrictions; daily ones were read as Monday only$/],
  ['pagerdutyIntegrationType', /^PagerDuty integration type (?<type>.+) has no Tocsin equivalent; add an integration for that tool by hand$/],
  ['noEmail', /^has no email address$/],
  ['tooManyRules', /^has (?<count>\d+) rules; Tocsin keeps the first 10 levels$/],
  ['importedWithoutZone', /^(?<problem>.+); imported without time zone and phone$/],
  ['personNotImported', /^its person was not imported$/],
  ['noPolicy', /^has no escalation policy; the channel notifies nobody until you add a rule$/],
  ['noLevels', /^has no levels$/],
  ['personExists', /^a person with this email exists$/],
  ['emailPhoneUnverified', /^email and phone unverified$/],
  ['emailUnverified', /^email unverified$/],
  ['membersToAdd', /^(?<count>\d+) member\(s\) to add$/],
  ['teamForOrphans', /^for objects without a team$/],
  ['layers', /^(?<count>\d+) layer\(s\), (?<zone>.+)$/],
  ['channelExists', /^a channel with this name exists$/],
  ['source', /^source (?<source>.+)$/],
  ['levelsDelays', /^(?<count>\d+) level\(s\), delays (?<delays>.+)$/],
];

/** "5 min, 10 min" in the person's language. */
function minutes(list: string): string {
  return list
    .split(', ')
    .map((item) => {
      const match = /^(\d+) min$/.exec(item);
      return match ? i18next.t('server:imports.minutes', { count: Number(match[1]) }) : item;
    })
    .join(i18next.t('server:imports.listSeparator'));
}

/** An import detail or reason in the console's language. */
export function importText(text: string): string {
  for (const [key, pattern] of PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const values: Record<string, string> = { ...match.groups };
    if (key === 'levelsDelays' && values.delays) values.delays = minutes(values.delays);
    return i18next.t(`server:imports.${key}`, values);
  }
  return text;
}
