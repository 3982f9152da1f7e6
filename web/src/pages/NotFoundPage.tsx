import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        icon={<IconMapOff size={28} />}
        title="Nothing lives at this address"
        description="The link may be old or mistyped."
        action={
          <Button component={Link} to="/" variant="light">
            Go to the console home
          </Button>
        }
      />
    </>
  );
}
