import { useTranslation } from 'react-i18next';
import { Alert, Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconMail, IconPhone } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useUpdateMe } from '../../api/me';
import type { Me } from '../../api/types';
import { VerifiedBadge } from '../../components/Badges';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { phoneRule } from '../../lib/validation';
import { SectionCard } from './SectionCard';
import { VerifyContact } from './VerifyContact';

/** Email and phone, each verified with a one-time code before Tocsin uses it to page you. */
export function ContactMethodsSection({ me }: { me: Me }) {
  const { t } = useTranslation('me');
  const warnings = [
    !me.phone && t('contact.noPhone'),
    me.phone && !me.phone_verified && t('contact.phoneUnverified'),
    !me.email_verified && t('contact.emailUnverified'),
  ].filter((warning): warning is string => typeof warning === 'string');

  return (
    <SectionCard
      title={t('contact.title')}
      description={t('contact.description')}
      testId="contact-methods-section"
    >
      <Stack gap="md">
        {warnings.length > 0 && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="contact-warnings">
            <Stack gap={2}>
              {warnings.map((warning) => (
                <Text key={warning} size="sm">
                  {warning}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        <ContactRow icon={<IconMail size={18} />} label={t('contact.email')} verified={me.email_verified}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {me.email}
          </Text>
          {!me.email_verified && <VerifyContact kind="email" />}
        </ContactRow>
        <Divider />
        <ContactRow icon={<IconPhone size={18} />} label={t('contact.phone')} verified={me.phone_verified}>
          <PhoneForm me={me} />
          {!me.phone_verified && (
            <VerifyContact kind="phone" blockedReason={me.phone ? undefined : t('contact.savePhoneFirst')} />
          )}
        </ContactRow>
      </Stack>
    </SectionCard>
  );
}

function ContactRow({ icon, label, verified, children }: { icon: ReactNode; label: string; verified: boolean; children: ReactNode }) {
  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      <Group gap={8} w={{ base: 90, sm: 120 }} wrap="nowrap" pt={4} style={{ flexShrink: 0 }}>
        {icon}
        <Text fw={500} size="sm">
          {label}
        </Text>
      </Group>
      <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
        <VerifiedBadge verified={verified} />
        {children}
      </Stack>
    </Group>
  );
}

type PhoneValues = { phone: string };

/** Changing the number makes it unverified again on the server, so it is saved on its own. */
function PhoneForm({ me }: { me: Me }) {
  const updateMe = useUpdateMe();
  const { t } = useTranslation('me');
  const form = useForm<PhoneValues>({
    initialValues: { phone: me.phone ?? '' },
    validate: { phone: (value) => phoneRule(value.trim()) },
  });

  const submit = form.onSubmit((values) =>
    updateMe.mutate(
      { phone: values.phone.trim() || null },
      {
        onSuccess: (updated) => {
          form.resetDirty({ phone: updated.phone ?? '' });
          notifySuccess(updated.phone ? t('contact.phoneSaved') : t('contact.phoneRemoved'));
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate aria-label={t('contact.phoneNumber')}>
      <Group align="flex-start" gap="xs" wrap="wrap">
        <TextInput
          aria-label={t('contact.phoneNumber')}
          placeholder="+14155550100"
          type="tel"
          autoComplete="tel"
          style={{ flex: '1 1 220px', maxWidth: 320 }}
          data-testid="phone-input"
          {...form.getInputProps('phone')}
        />
        <Button type="submit" variant="default" disabled={!form.isDirty()} loading={updateMe.isPending} data-testid="phone-submit">
          {t('common:actions.save')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('contact.phoneFormat')}
      </Text>
    </form>
  );
}
