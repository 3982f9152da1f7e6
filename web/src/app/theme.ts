import { createTheme, DEFAULT_THEME, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
import { over, readableOn } from './contrast';

// A warm ember tone: an alarm bell, but muted enough to sit behind red "Critical" badges
// without competing with them.
const ember: MantineColorsTuple = ['#fff3ec', '#ffe5d6', '#fbc8aa', '#f8a97b', '#f58e52', '#f37d38', '#f2742a', '#d8621d', '#c15616', '#a8480c'];

const PRIMARY_SHADE = { light: 7, dark: 6 } as const;
const colors: Record<string, MantineColorsTuple> = { ...DEFAULT_THEME.colors, ember };

// The surfaces text sits on: the page, cards and table stripes, hovered rows.
const LIGHT_SURFACES = ['#ffffff', DEFAULT_THEME.colors.gray[0], DEFAULT_THEME.colors.gray[1]];
const DARK_SURFACES = [DEFAULT_THEME.colors.dark[7], DEFAULT_THEME.colors.dark[6], DEFAULT_THEME.colors.dark[5]];
const WHITE = '#ffffff';

/** Per colour: text on its light (tinted) variant, its filled background under white text, and text on the page. */
function colorVariables(scheme: 'light' | 'dark'): Record<string, string> {
  const out: Record<string, string> = {};
  const surfaces = scheme === 'light' ? LIGHT_SURFACES : DARK_SURFACES;
  for (const [name, tuple] of Object.entries(colors)) {
    if (name === 'dark' || name === 'gray') continue;
    const shade = tuple[PRIMARY_SHADE[scheme]];
    const lightText = scheme === 'light' ? tuple[PRIMARY_SHADE.light] : tuple[4];
    const tint = over(shade, 0.15, surfaces[0] ?? WHITE);
    const filled = readableOn(shade, [WHITE]);
    out[`--mantine-color-${name}-filled`] = filled;
    out[`--mantine-color-${name}-filled-hover`] = readableOn(filled, [WHITE], 5.5);
    out[`--mantine-color-${name}-light-color`] = readableOn(lightText, [tint, ...surfaces]);
    out[`--mantine-color-${name}-outline`] = readableOn(lightText, surfaces);
    out[`--mantine-color-${name}-text`] = readableOn(lightText, surfaces);
  }
  const primary = (suffix: string) => out[`--mantine-color-ember-${suffix}`] ?? '';
  out['--mantine-primary-color-filled'] = primary('filled');
  out['--mantine-primary-color-filled-hover'] = primary('filled-hover');
  out['--mantine-primary-color-light-color'] = primary('light-color');
  out['--mantine-color-anchor'] = primary('text');
  out['--mantine-color-dimmed'] = readableOn(scheme === 'light' ? DEFAULT_THEME.colors.gray[6] : DEFAULT_THEME.colors.dark[2], surfaces);
  return out;
}

/**
 * The console meets WCAG AA contrast (axe-core checks it in test/e2e/accessibility.test.ts): Mantine's
 * stock shades put white on orange and grey "dimmed" text under 4.5:1, so every colour's text and
 * filled variables are nudged only as far as needed, computed from the palette rather than hand-picked.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({ variables: {}, light: colorVariables('light'), dark: colorVariables('dark') });

export const theme = createTheme({
  // People who ask their system for less motion get no collapse or modal animations.
  respectReducedMotion: true,
  primaryColor: 'ember',
  primaryShade: PRIMARY_SHADE,
  colors: { ember },
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "PingFang SC", sans-serif',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } },
    Modal: { defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45, blur: 2 } } },
  },
});
