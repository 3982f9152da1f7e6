import { useTranslation } from 'react-i18next';
import { Select, type SelectProps } from '@mantine/core';

const ROLES = ['admin', 'responder', 'viewer'] as const;

export function RoleSelect(props: Omit<SelectProps, 'data'>) {
  const { t } = useTranslation();
  const options = ROLES.map((role) => ({ value: role, label: t(`roles.${role}Described`) }));
  return <Select label={t('roles.label')} allowDeselect={false} {...props} data={options} />;
}
