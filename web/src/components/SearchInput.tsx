import { useTranslation } from 'react-i18next';
import { CloseButton, Kbd, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useSlashToFocus } from '../lib/useSlashToFocus';

interface SearchInputProps {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
}

/** The list search box; `/` jumps to it from anywhere on the page. */
export function SearchInput({ value, onChange, placeholder, label }: SearchInputProps) {
  const ref = useSlashToFocus<HTMLInputElement>();
  const { t } = useTranslation();
  return (
    <TextInput
      ref={ref}
      type="search"
      aria-label={label}
      data-testid="list-search"
      placeholder={placeholder}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onChange('');
      }}
      leftSection={<IconSearch size={16} />}
      rightSection={
        value ? (
          <CloseButton size="sm" aria-label={t('search.clear')} onClick={() => onChange('')} />
        ) : (
          <Kbd size="xs" visibleFrom="sm" aria-hidden>
            /
          </Kbd>
        )
      }
      w={{ base: '100%', sm: 320 }}
    />
  );
}
