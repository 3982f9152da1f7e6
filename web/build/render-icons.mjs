// Renders the console's app icons (PNG) from the bell of favicon.svg with headless Chromium, so no
// image tool is needed: `node web/build/render-icons.mjs` rewrites web/public/icons/. Run it after
// changing the bell or the colour; the PNGs are committed.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BELL = '<path d="M10 5a2 2 0 1 1 4 0a7 7 0 0 1 4 6v3a4 4 0 0 0 2 3h-16a4 4 0 0 0 2 -3v-3a7 7 0 0 1 4 -6"/><path d="M9 17v1a3 3 0 0 0 6 0v-1"/>';
const ORANGE = '#e8590c';
const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });

/** size, background shape, bell size as a share of the icon. */
const ICONS = [
  { name: 'icon-192.png', size: 192, radius: 0.22, bell: 0.62 },
  { name: 'icon-512.png', size: 512, radius: 0.22, bell: 0.62 },
  // Maskable: full bleed, the bell inside the 80 % safe zone the platform may crop to a circle.
  { name: 'maskable-192.png', size: 192, radius: 0, bell: 0.5 },
  { name: 'maskable-512.png', size: 512, radius: 0, bell: 0.5 },
  { name: 'apple-touch-icon.png', size: 180, radius: 0, bell: 0.6 },
  // Android's status-bar badge: a white silhouette on transparent.
  { name: 'badge-96.png', size: 96, radius: -1, bell: 0.8 },
];

const browser = await chromium.launch({ executablePath: process.env.TOCSIN_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const icon of ICONS) {
  const { size } = icon;
  const bell = size * icon.bell;
  const background = icon.radius < 0 ? '' : `<rect width="${size}" height="${size}" rx="${size * icon.radius}" fill="${ORANGE}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${background}<svg x="${(size - bell) / 2}" y="${(size - bell) / 2}" width="${bell}" height="${bell}" viewBox="0 0 24 24" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${BELL}</svg></svg>`;
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: new URL(icon.name, out).pathname, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}
await browser.close();
