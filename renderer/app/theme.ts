/** One Mantine theme for both schemes: muted neutrals, colour kept for meaning. */
import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** Cool neutral dark scale (GitHub-like), index 7 is the page background. */
const dark: MantineColorsTuple = [
  '#d1d7e0',
  '#b7bdc8',
  '#9198a1',
  '#6e7681',
  '#3d444d',
  '#2a313c',
  '#212830',
  '#151b23',
  '#0d1117',
  '#010409',
];

const accent: MantineColorsTuple = [
  '#eef3ff',
  '#dce4f5',
  '#b9c7e2',
  '#94a8d0',
  '#748dc0',
  '#5f7cb7',
  '#5474b4',
  '#44639f',
  '#39588f',
  '#2d4b7f',
];

export const theme = createTheme({
  primaryColor: 'accent',
  // Dark uses shade 7 too: white on shade 5 was 4.16:1, under AA.
  primaryShade: { light: 7, dark: 7 },
  // Filled badges and buttons pick black or white text by the fill's luminance (AA on teal, red, grape).
  autoContrast: true,
  luminanceThreshold: 0.18,
  colors: { dark, accent },
  fontFamily:
    'Inter, "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "Noto Sans", "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace',
  fontSizes: { xs: '11px', sm: '12.5px', md: '13.5px', lg: '15px', xl: '17px' },
  lineHeights: { xs: '1.4', sm: '1.45', md: '1.55', lg: '1.55', xl: '1.5' },
  headings: {
    fontWeight: '600',
    sizes: {
      h1: { fontSize: '20px', lineHeight: '1.3' },
      h2: { fontSize: '17px', lineHeight: '1.3' },
      h3: { fontSize: '15px', lineHeight: '1.35' },
      h4: { fontSize: '13.5px', lineHeight: '1.4' },
    },
  },
  defaultRadius: 'sm',
  radius: { xs: '2px', sm: '4px', md: '6px', lg: '8px', xl: '12px' },
  spacing: { xs: '6px', sm: '10px', md: '14px', lg: '20px', xl: '28px' },
  cursorType: 'pointer',
  respectReducedMotion: true,
  components: {
    Tooltip: { defaultProps: { openDelay: 250, withinPortal: true } },
    Badge: { defaultProps: { radius: 'sm' } },
    Kbd: { defaultProps: { size: 'xs' } },
  },
});
