import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppLayout } from '../components/layout/AppLayout';
import { AuditLogPage } from '../pages/audit/AuditLogPage';
import { ChannelDetailPage } from '../pages/channels/ChannelDetailPage';
import { ChannelsPage } from '../pages/channels/ChannelsPage';
import { LoginPage } from '../pages/auth/LoginPage';
import { SetupPage } from '../pages/auth/SetupPage';
import { PersonalCenterPage } from '../pages/me/PersonalCenterPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { PeoplePage } from '../pages/people/PeoplePage';
import { IncidentDetailPage } from '../pages/incidents/IncidentDetailPage';
import { IncidentsPage } from '../pages/incidents/IncidentsPage';
import { IntegrationCenterPage, SharedIntegrationPage } from '../pages/integrations/IntegrationCenterPage';
import { WebhooksPage } from '../pages/webhooks/WebhooksPage';
import { ScheduleDetailPage } from '../pages/schedules/ScheduleDetailPage';
import { ScheduleCreatePage, ScheduleEditPage } from '../pages/schedules/ScheduleFormPage';
import { SchedulesPage } from '../pages/schedules/SchedulesPage';
import { NotificationProvidersPage } from '../pages/settings/NotificationProvidersPage';
import { CustomFieldsPage } from '../pages/settings/CustomFieldsPage';
import { ImportPage } from '../pages/settings/ImportPage';
import { TeamDetailPage } from '../pages/teams/TeamDetailPage';
import { TeamsPage } from '../pages/teams/TeamsPage';
import { HOME_PATH, LOGIN_PATH, RequireAuth, SETUP_PATH, SetupGate } from './guards';

// The charting library is large; only the Analytics page needs it.
const AnalyticsPage = lazy(() => import('../pages/analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })));

/** Every URL of the console and the page it shows. */
export function AppRoutes() {
  return (
    <SetupGate>
      <Routes>
        <Route path={SETUP_PATH} element={<SetupPage />} />
        <Route path={LOGIN_PATH} element={<LoginPage />} />
        <Route element={<RequireAuth />}>
          <Route element={<AppLayout />}>
            <Route index element={<Navigate to={HOME_PATH} replace />} />
            <Route path="incidents" element={<IncidentsPage />} />
            <Route path="incidents/:incidentId/:tab?" element={<IncidentDetailPage />} />
            <Route path="channels" element={<ChannelsPage />} />
            <Route path="channels/:channelId/:tab?" element={<ChannelDetailPage />} />
            <Route path="integrations" element={<IntegrationCenterPage />} />
            <Route path="integrations/:integrationId/:tab?" element={<SharedIntegrationPage />} />
            <Route path="schedules" element={<SchedulesPage />} />
            <Route path="schedules/new" element={<ScheduleCreatePage />} />
            <Route path="schedules/:scheduleId" element={<ScheduleDetailPage />} />
            <Route path="schedules/:scheduleId/edit" element={<ScheduleEditPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="teams/:teamId" element={<TeamDetailPage />} />
            <Route path="people" element={<PeoplePage />} />
            <Route
              path="analytics"
              element={
                <Suspense fallback={null}>
                  <AnalyticsPage />
                </Suspense>
              }
            />
            <Route path="webhooks" element={<WebhooksPage />} />
            <Route path="settings" element={<Navigate to="/settings/providers" replace />} />
            <Route path="settings/providers" element={<NotificationProvidersPage />} />
            <Route path="settings/audit" element={<AuditLogPage />} />
            <Route path="settings/custom-fields" element={<CustomFieldsPage />} />
            <Route path="settings/import" element={<ImportPage />} />
            <Route path="me" element={<PersonalCenterPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </SetupGate>
  );
}
