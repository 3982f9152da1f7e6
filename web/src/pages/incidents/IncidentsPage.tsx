import { PageHeader } from '../../components/PageHeader';
import { IncidentList } from './IncidentList';
import { NewIncidentButton } from './NewIncidentButton';

/** `/incidents`: everything that needs a responder, across the channels you can see. */
export function IncidentsPage() {
  return (
    <>
      <PageHeader title="Incidents" description="Everything that needs a responder, across the channels you can see." actions={<NewIncidentButton />} />
      <IncidentList />
    </>
  );
}
