import { useTranslation } from 'react-i18next';
import { CreateInNewTabLink } from '../../components/CreateInNewTabLink';

/** Under an empty schedule picker: where schedules are made, without losing the rule being edited. */
export function NoSchedulesYet() {
  const { t } = useTranslation('onboarding');
  return (
    <>
      {t('inPlace.noSchedules')}{' '}
      <CreateInNewTabLink to="/schedules/new" testId="create-schedule-link">
        {t('inPlace.createSchedule')}
      </CreateInNewTabLink>
    </>
  );
}
