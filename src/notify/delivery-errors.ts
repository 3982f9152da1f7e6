/**
 * What a delivery error may tell a non-admin. Provider errors quote up to 200 characters of the
 * peer's answer ("webhook: HTTP 500: <body>"); when an admin points a provider at an internal service,
 * that body is internal data, so only admins read it (issue 10 item 16). Others see the status part.
 */

const HTTP_STATUS = /^(.*?\bHTTP \d{3})\b/;

/** `error` cut to what a non-admin may read: up to the HTTP status, or a generic sentence. */
export function errorForNonAdmin(error: string | null): string | null {
  if (error === null) return null;
  const status = HTTP_STATUS.exec(error);
  if (status?.[1]) return `${status[1]} (the answer is shown to admins)`;
  if (error.includes('TOCSIN_OUTBOUND_DENY')) return 'refused: the destination is on the outbound deny list';
  return 'delivery failed (details are shown to admins)';
}
