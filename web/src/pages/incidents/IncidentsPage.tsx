import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { IncidentList } from './IncidentList';
import { NewIncidentButton } from './NewIncidentButton';

/** `/incidents`: everything that needs a responder, across the channels you can see. */
export function IncidentsPage() {
  const { t } = useTranslation('incidents');
  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} actions={<NewIncidentButton />} />
      <IncidentList />
    </>
  );
}
