/**
 * Optional real components (PostgreSQL, Chromium). On a developer's laptop a missing one skips its
 * tests with a loud message; with TOCSIN_REQUIRE_ALL=1 (CI) a missing one fails the run.
 */
export const REQUIRE_ALL = process.env.TOCSIN_REQUIRE_ALL === '1';

/** Returns whether the component is usable; throws under TOCSIN_REQUIRE_ALL when it is not. */
export function requireOrSkip(component: string, available: boolean, why: string): boolean {
  if (available) return true;
  const message = `${component} is not available (${why})`;
  if (REQUIRE_ALL) throw new Error(`${message} and TOCSIN_REQUIRE_ALL=1 demands it`);
  console.warn(`\n!!!!!!!!!! SKIPPING ${component} TESTS: ${message}. Set it up, or CI (TOCSIN_REQUIRE_ALL=1) will fail. !!!!!!!!!!\n`);
  return false;
}
