import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePersonNames } from '../../api/schedules';
import { usePeople } from '../../api/users';

interface PersonSelectProps extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchable' | 'searchValue' | 'onSearchChange' | 'filter'> {
  value: string | null;
  onChange: (personId: string | null, name: string | null) => void;
  /** People not to offer (e.g. already in the slot). */
  exclude?: ReadonlyArray<string>;
}

/**
 * Pick a person, searched on the server by name or email so large directories work. Disabled
 * people are not offered (they receive no notifications).
 */
export function PersonSelect({ value, onChange, exclude = [], ...props }: PersonSelectProps) {
  const { t } = useTranslation('schedules');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const selectedName = usePersonNames(value ? [value] : []).names.get(value ?? '') ?? null;
  // While a person is chosen the search box shows their name: offer everyone then, not just them.
  const showsSelection = value !== null && search === selectedName;
  const people = usePeople(showsSelection ? '' : debounced.trim());
  const excluded = new Set(exclude);
  const options = people.items
    .filter((person) => person.status === 'active' && !excluded.has(person.id))
    .map((person) => ({ value: person.id, label: person.name, email: person.email }));
  if (value && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: selectedName ?? t('loadingEllipsis'), email: '' });
  }
  const emails = new Map(options.map((option) => [option.value, option.email]));

  return (
    <Select
      placeholder={t('personSelect.placeholder')}
      {...props}
      data={options.map(({ value: id, label }) => ({ value: id, label }))}
      value={value}
      onChange={(id, option) => onChange(id, option?.label ?? null)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by name or email.
      filter={({ options: all }) => all}
      renderOption={({ option }) => (
        <div>
          <div style={{ fontSize: 'var(--mantine-font-size-sm)' }}>{option.label}</div>
          {emails.get(option.value) && <div style={{ fontSize: 11, color: 'var(--mantine-color-dimmed)' }}>{emails.get(option.value)}</div>}
        </div>
      )}
      nothingFoundMessage={people.isFetching ? t('personSelect.searching') : t('personSelect.nobodyMatches')}
    />
  );
}
