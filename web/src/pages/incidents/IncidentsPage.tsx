import { PageHeader } from '../../components/PageHeader';
import { IncidentList } from './IncidentList';

/** `/incidents`: everything that needs a responder, across the channels you can see. */
export function IncidentsPage() {
  return (
    <>
      <PageHeader title="Incidents" description="Everything that needs a responder, across the channels you can see." />
      <IncidentList />
    </>
  );
}
