import { Select, type SelectProps } from '@mantine/core';

const ROLE_OPTIONS = [
  { value: 'admin', label: 'Admin — everything, including people and settings' },
  { value: 'responder', label: 'Responder — works incidents, edits what their teams own' },
  { value: 'viewer', label: 'Viewer — read only' },
];

export function RoleSelect(props: Omit<SelectProps, 'data'>) {
  return <Select label="Role" allowDeselect={false} {...props} data={ROLE_OPTIONS} />;
}
