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
  const warnings = [
    !me.phone && 'No phone number: you will not receive calls or SMS.',
    me.phone && !me.phone_verified && 'Phone not verified: you will not receive calls or SMS.',
    !me.email_verified && 'Email not verified: you will not receive email notifications.',
  ].filter((warning): warning is string => typeof warning === 'string');

  return (
    <SectionCard
      title="Contact methods"
      description="Where Tocsin reaches you when you are paged. Each one must be verified before it is used."
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
        <ContactRow icon={<IconMail size={18} />} label="Email" verified={me.email_verified}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {me.email}
          </Text>
          {!me.email_verified && <VerifyContact kind="email" />}
        </ContactRow>
        <Divider />
        <ContactRow icon={<IconPhone size={18} />} label="Phone" verified={me.phone_verified}>
          <PhoneForm me={me} />
          {!me.phone_verified && (
            <VerifyContact kind="phone" blockedReason={me.phone ? undefined : 'Save a phone number first.'} />
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
          notifySuccess(updated.phone ? 'Phone number saved' : 'Phone number removed');
        },
        onError: (error) => showServerError(form, error),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Phone number">
      <Group align="flex-start" gap="xs" wrap="wrap">
        <TextInput
          aria-label="Phone number"
          placeholder="+14155550100"
          type="tel"
          autoComplete="tel"
          style={{ flex: '1 1 220px', maxWidth: 320 }}
          data-testid="phone-input"
          {...form.getInputProps('phone')}
        />
        <Button type="submit" variant="default" disabled={!form.isDirty()} loading={updateMe.isPending} data-testid="phone-submit">
          Save
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        International format (E.164), e.g. +14155550100
      </Text>
    </form>
  );
}
