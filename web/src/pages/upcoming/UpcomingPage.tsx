import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

interface UpcomingPageProps {
  title: string;
  description: string;
  icon: ReactNode;
  emptyTitle: string;
  /** One sentence: what this area will hold once it exists. */
  emptyDescription: string;
}

/** An area of the product the server does not offer yet: say what will be here, show nothing fake. */
export function UpcomingPage({ title, description, icon, emptyTitle, emptyDescription }: UpcomingPageProps) {
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        badges={
          <Badge variant="light" color="gray">
            Coming soon
          </Badge>
        }
      />
      <EmptyState icon={icon} title={emptyTitle} description={emptyDescription} />
    </>
  );
}
