import { createTheme, type MantineColorsTuple } from '@mantine/core';

// A warm ember tone: an alarm bell, but muted enough to sit behind red "Critical" badges
// without competing with them.
const ember: MantineColorsTuple = [
  '#fff3ec',
  '#ffe5d6',
  '#fbc8aa',
  '#f8a97b',
  '#f58e52',
  '#f37d38',
  '#f2742a',
  '#d8621d',
  '#c15616',
  '#a8480c',
];

export const theme = createTheme({
  primaryColor: 'ember',
  primaryShade: { light: 7, dark: 6 },
  colors: { ember },
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "PingFang SC", sans-serif',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } },
    Modal: { defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45, blur: 2 } } },
  },
});
