/**
 * WCAG 2 contrast arithmetic for the theme (web/src/app/theme.ts): the console's colours are chosen
 * for their look and then nudged darker or lighter only as far as text needs to be readable (4.5:1 for
 * body text, the AA level axe-core checks).
 */
export const TEXT_CONTRAST = 4.6; // a hair above 4.5, so rounding in the browser never dips under it

type Rgb = readonly [number, number, number];

function parse(hex: string): Rgb {
  const value = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16)) as unknown as Rgb;
}

function format(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const [r, g, b] = parse(hex);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` drawn at `opacity` over `backdrop` (how Mantine's light variants paint their background). */
export function over(color: string, opacity: number, backdrop: string): string {
  const top = parse(color);
  const bottom = parse(backdrop);
  return format([0, 1, 2].map((i) => top[i]! * opacity + bottom[i]! * (1 - opacity)) as unknown as Rgb);
}

/**
 * `color`, mixed step by step towards black (on light backgrounds) or white (on dark ones) until it
 * reaches `ratio` against every background; unchanged when it already does.
 */
export function readableOn(color: string, backgrounds: readonly string[], ratio = TEXT_CONTRAST): string {
  const darker = backgrounds.every((background) => luminance(background) > 0.18);
  const target: Rgb = darker ? [0, 0, 0] : [255, 255, 255];
  const start = parse(color);
  for (let step = 0; step <= 20; step += 1) {
    const mix = step / 20;
    const candidate = format([0, 1, 2].map((i) => start[i]! * (1 - mix) + target[i]! * mix) as unknown as Rgb);
    if (backgrounds.every((background) => contrast(candidate, background) >= ratio)) return candidate;
  }
  return format(target);
}
