import { ThemeIcon } from '@mantine/core';
import { sourceInfo } from '../lib/sources';

/** The icon of an integration source in its colour. */
export function SourceIcon({ source, size = 36 }: { source: string; size?: number }) {
  const info = sourceInfo(source);
  const Icon = info.icon;
  return (
    <ThemeIcon size={size} radius="md" variant="light" color={info.color} aria-hidden>
      <Icon size={Math.round(size * 0.58)} />
    </ThemeIcon>
  );
}
