import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness, type Person } from '../harness/tocsin.js';

const runnable = chromiumAvailable() && consoleBuilt();
const ZONE = 'Europe/Berlin';

interface OverrideView {
  id: string;
  person_id: string;
  role: string;
  start: number;
  end: number;
  deleted_at: number | null;
}

interface ScheduleView {
  id: string;
  name: string;
  time_zone: string;
  layers: { name: string; members: string[][]; rotation: { unit: string; handoff_time: string; weekday: string | null }; restrictions: { kind: string; windows: { start: string; end: string }[] } }[];
}

/** A browser context whose clock starts at the harness's manual clock, so "now" agrees with the server. */
async function newContext(browser: Browser, h: Harness, phone = false): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext(
    phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } },
  );
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.clock.install({ time: h.clock.now() });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}


/** Who the bars of a timeline row are for (bars too narrow for a name still carry it in their label). */
function barNames(row: Locator): Promise<string> {
  return row.getByTestId('timeline-bar').evaluateAll((bars) => bars.map((bar) => bar.querySelector('[data-bar-description]')?.textContent ?? '').join('\n'));
}

/** Picks a person in a PersonSelect by typing part of their name. */
async function pickPerson(page: Page, select: Locator, name: string): Promise<void> {
  await select.click();
  await select.fill(name.split(' ')[0] ?? name);
  await page.getByRole('option', { name }).click();
}

describe.runIf(runnable)('schedules in the console (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let scheduleId = '';

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    browser = await launchChromium();
    alice = (await h.person('responder', 'Alice Archer')).person;
    bob = (await h.person('responder', 'Bob Baker')).person;
    carol = (await h.person('responder', 'Carol Chen')).person;
    await h.team('Payments SRE', [alice, bob, carol]);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('creates a two-layer schedule, shows its final timeline, and adds overrides', { timeout: 150_000 }, async () => {
    const { context, page, pageErrors } = await newContext(browser, h);
    await signInAsAdmin(page, h.url);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
    await page.waitForURL('**/schedules');
    await page.getByTestId('create-schedule-button').first().click();
    await page.waitForURL('**/schedules/new');

    // Details.
    await page.getByTestId('schedule-name-input').fill('Payments primary');
    await page.getByTestId('schedule-team-select').click();
    await page.getByRole('option', { name: 'Payments SRE' }).click();
    const zoneSelect = page.getByTestId('schedule-time-zone-select');
    await zoneSelect.click();
    await zoneSelect.fill('Europe/Berl');
    await page.getByRole('option', { name: ZONE }).click();

    // Layer 1: Alice and Bob take weekly turns, handing over on Mondays at 09:00 (the defaults).
    await page.getByTestId('layer-0-name').fill('Weekly rotation');
    await pickPerson(page, page.getByTestId('layer-0-add-member'), 'Alice Archer');
    await pickPerson(page, page.getByTestId('layer-0-add-member'), 'Bob Baker');
    await expect.poll(() => page.getByTestId('layer-0-member-slot').count()).toBe(2);
    // The harness clock is Monday 2026-03-02 10:00 in Berlin: start the rotation at 09:00 that day.
    await page.getByTestId('layer-0-start').fill('2026-03-02T09:00');

    // Layer 2: Carol, business hours only (a daily window 09:00–18:00).
    await page.getByTestId('add-layer-button').click();
    await page.getByTestId('layer-1-name').fill('Business hours');
    await pickPerson(page, page.getByTestId('layer-1-add-member'), 'Carol Chen');
    await page.getByTestId('layer-1-start').fill('2026-03-02T00:00');
    await page.getByTestId('layer-1-restriction-daily').click();
    await page.getByTestId('layer-1-window-0-start').fill('09:00');
    await page.getByTestId('layer-1-window-0-end').fill('18:00');

    // The live preview shows both of them in the final row.
    const previewFinal = page.getByTestId('schedule-preview-timeline').getByTestId('timeline-row-final');
    await expect
      .poll(async () => {
        const names = await barNames(previewFinal);
        return names.includes('Alice Archer') && names.includes('Carol Chen');
      })
      .toBe(true);
    await page.screenshot({ path: screenshotPath('schedule-editor.png'), fullPage: true });

    await page.getByTestId('schedule-save').click();
    await page.waitForURL(/\/schedules\/(?!new)[^/]+$/);
    scheduleId = new URL(page.url()).pathname.split('/').pop() ?? '';

    // The final row of this week: Alice outside business hours, Carol inside them; Bob's turn starts next Monday.
    // Scoped to the schedule page: the editor's preview has a final row too, and may still be on screen.
    const card = page.getByTestId('schedule-timeline-card');
    const finalRow = card.getByTestId('timeline-row-final');
    await expect.poll(() => finalRow.getByTestId('timeline-bar').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    const finalText = await barNames(finalRow);
    expect(finalText).toContain('Alice Archer');
    expect(finalText).toContain('Carol Chen');
    expect(finalText).not.toContain('Bob Baker');
    expect(await barNames(card.getByTestId('timeline-row-layer-0'))).not.toContain('Bob Baker');
    // 10:00 in Berlin: inside the business-hours window.
    await expect.poll(() => page.getByTestId('on-call-now').textContent()).toContain('Carol Chen');

    // A generic override: Bob, defaulting to today 00:00 – tomorrow 00:00 in the schedule's zone.
    await page.getByTestId('add-override-button').click();
    await expect.poll(() => page.getByTestId('override-start').inputValue()).toBe('2026-03-02T00:00');
    expect(await page.getByTestId('override-end').inputValue()).toBe('2026-03-03T00:00');
    await pickPerson(page, page.getByTestId('override-person-select'), 'Bob Baker');
    await page.getByTestId('override-submit').click();
    await page.getByTestId('override-form').waitFor({ state: 'detached' });
    await expect.poll(() => barNames(finalRow)).toContain('Bob Baker');
    await expect.poll(() => barNames(card.getByTestId('timeline-row-overrides'))).toContain('Bob Baker');
    await expect.poll(() => page.getByTestId('on-call-now').textContent()).toContain('Bob Baker');
    await page.getByTestId('override-row').filter({ hasText: 'Bob Baker' }).waitFor();

    // "Take this shift" from a bar's menu: the admin takes one of Carol's business-hours shifts.
    await finalRow.locator(`[data-testid="timeline-bar"][data-person-ids="${carol.id}"]`).last().click();
    await page.getByTestId('take-shift').click();
    expect(await page.getByTestId('override-person-select').inputValue()).toBe('Ada Admin');
    await page.getByTestId('override-submit').click();
    await page.getByTestId('override-form').waitFor({ state: 'detached' });
    await expect.poll(() => barNames(finalRow)).toContain('Ada Admin');

    // Two weeks: Bob's turn in the weekly layer begins on Monday 2026-03-09 at 09:00.
    await page.getByTestId('timeline-view-two-weeks').click();
    await expect.poll(() => page.getByTestId('timeline-range-title').textContent()).toMatch(/Mar 2 – Mar 15, 2026/);
    await expect.poll(() => barNames(card.getByTestId('timeline-row-layer-0'))).toContain('Bob Baker');
    expect(page.url()).toContain('view=two-weeks');

    await page.mouse.move(0, 0);
    // Let the "Override added" toasts go before the screenshots.
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('schedule-timeline.png'), fullPage: true });
    await page.getByTestId('highlight-my-shifts').click();
    await expect.poll(() => finalRow.locator('[data-mine="true"]').count()).toBeGreaterThan(0);
    await card.screenshot({ path: screenshotPath('schedule-timeline-highlight.png') });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
    const row = page.getByTestId('schedule-row').filter({ hasText: 'Payments primary' });
    await expect.poll(() => row.getByTestId('on-call-now').textContent()).toContain('Bob Baker');
    await page.screenshot({ path: screenshotPath('schedule-list.png') });

    // The API agrees with what the browser did.
    const schedule = await h.admin.get<ScheduleView>(`/api/v1/schedules/${scheduleId}`);
    expect(schedule.status).toBe(200);
    expect(schedule.body.time_zone).toBe(ZONE);
    expect(schedule.body.layers).toEqual([
      expect.objectContaining({ name: 'Weekly rotation', members: [[alice.id], [bob.id]], rotation: expect.objectContaining({ unit: 'week', handoff_time: '09:00', weekday: 'monday' }) }),
      expect.objectContaining({ name: 'Business hours', members: [[carol.id]], restrictions: { kind: 'daily', windows: [{ start: '09:00', end: '18:00' }] } }),
    ]);
    const overrides = await h.admin.get<{ data: OverrideView[] }>(`/api/v1/schedules/${scheduleId}/overrides`);
    expect(overrides.status).toBe(200);
    const bobs = overrides.body.data.find((o) => o.person_id === bob.id);
    // Berlin midnight to midnight (UTC+1).
    expect(bobs).toMatchObject({ role: 'primary', start: Date.UTC(2026, 2, 1, 23), end: Date.UTC(2026, 2, 2, 23), deleted_at: null });
    expect(overrides.body.data).toHaveLength(2);

    // The editor reads the layers back in the schedule's zone, and saving unchanged keeps them.
    await page.goto(`${h.url}/schedules/${scheduleId}/edit`);
    await expect.poll(() => page.getByTestId('layer-editor').count()).toBe(2);
    expect(await page.getByTestId('layer-0-start').inputValue()).toBe('2026-03-02T09:00');
    expect(await page.getByTestId('layer-1-window-0-end').inputValue()).toBe('18:00');
    await page.getByTestId('schedule-save').click();
    await page.waitForURL(`**/schedules/${scheduleId}`);
    const saved = await h.admin.get<ScheduleView>(`/api/v1/schedules/${scheduleId}`);
    expect(saved.body.layers).toEqual(schedule.body.layers);

    // A server error lands on the field it names: the name is taken.
    await page.goto(`${h.url}/schedules/new`);
    await page.getByTestId('schedule-name-input').fill('Payments primary');
    await page.getByTestId('schedule-team-select').click();
    await page.getByRole('option', { name: 'Payments SRE' }).click();
    await page.getByTestId('schedule-save').click();
    await expect.poll(() => page.getByTestId('schedule-name-input').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/\/schedules\/new$/);

    // The personal center lists the shift the admin took and the calendar feed.
    await page.goto(`${h.url}/me`);
    await page.getByTestId('my-shift-row').filter({ hasText: 'Payments primary' }).first().waitFor();
    expect(await page.getByTestId('my-feed-url').textContent()).toMatch(/\/ical\/people\/.+\.ics$/);
    await page.getByTestId('my-shifts-section').screenshot({ path: screenshotPath('schedule-my-shifts.png') });

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('shows the timeline on a phone, scrolling sideways', { timeout: 60_000 }, async () => {
    const { context, page, pageErrors } = await newContext(browser, h, true);
    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/schedules/${scheduleId}`);
    await page.getByTestId('timeline-row-final').getByTestId('timeline-bar').first().waitFor();
    const scroller = page.getByRole('region', { name: /Schedule timeline/ });
    const overflow = await scroller.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeGreaterThan(0);
    // Nothing else on the page is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('schedule-phone.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
