import { useTranslation } from 'react-i18next';
import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/http';
import { useConfirmVerification, useStartVerification } from '../../api/me';
import type { ContactKind } from '../../api/types';
import { formFieldFromServer } from '../../lib/formErrors';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { useCurrentUser } from '../../app/guards';
import { DeliveryProviderHint } from '../../components/DeliveryProviderHint';


interface VerifyContactProps {
  kind: ContactKind;
  /** Why a code cannot be sent yet (e.g. no phone saved); the button is disabled with this hint. */
  blockedReason?: string | undefined;
}

/**
 * A code that was sent stays enterable after a reload until it expires: the pending expiry is kept in
 * this tab's session storage, per person and kind (the code itself is never stored).
 */
function usePendingExpiry(personId: string, kind: ContactKind): [number | null, (expiresAt: number | null) => void] {
  const storageKey = `tocsin.verification.${personId}.${kind}`;
  const [expiresAt, setState] = useState<number | null>(() => {
    const stored = Number(window.sessionStorage.getItem(storageKey));
    return Number.isFinite(stored) && stored > Date.now() ? stored : null;
  });
  const set = (next: number | null) => {
    if (next === null) window.sessionStorage.removeItem(storageKey);
    else window.sessionStorage.setItem(storageKey, String(next));
    setState(next);
  };
  return [expiresAt, set];
}

/** "Send code" → "Enter code": proves the person owns the address before it is used to page them. */
export function VerifyContact({ kind, blockedReason }: VerifyContactProps) {
  const me = useCurrentUser();
  const start = useStartVerification();
  const confirm = useConfirmVerification();
  const [expiresAt, setExpiresAt] = usePendingExpiry(me.id, kind);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const { t } = useTranslation('me');

  const sendCode = () =>
    start.mutate(kind, {
      onSuccess: (started) => {
        setExpiresAt(started.expires_at);
        setCode('');
        setCodeError(null);
        notifySuccess(t(`verify.sent.${kind}`));
      },
      onError: (error) => notifyError(error, t('verify.sendFailed')),
    });

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) {
      setCodeError(t('verify.codeRequired'));
      return;
    }
    confirm.mutate(
      { kind, code: code.trim() },
      {
        onSuccess: () => {
          setExpiresAt(null);
          notifySuccess(t(`verify.verified.${kind}`));
        },
        onError: (error) => {
          if (isApiError(error) && (error.field === undefined || formFieldFromServer(error.field) === 'code')) {
            setCodeError(errorMessage(error));
          } else {
            notifyError(error);
          }
        },
      },
    );
  };

  if (expiresAt === null) {
    return (
      <Stack gap={4} align="flex-start">
        <Button variant="light" size="xs" onClick={sendCode} loading={start.isPending} disabled={blockedReason !== undefined} data-testid={`send-${kind}-code`}>
          {t('verify.send')}
        </Button>
        {blockedReason && (
          <Text size="xs" c="dimmed">
            {blockedReason}
          </Text>
        )}
        <DeliveryProviderHint method={kind === 'email' ? 'email' : 'sms'} />
      </Stack>
    );
  }

  return (
    <form onSubmit={submitCode} noValidate aria-label={t(`verify.formLabel.${kind}`)}>
      <Stack gap={6}>
        <Group align="flex-start" gap="xs" wrap="wrap">
          <TextInput
            aria-label={t('verify.code')}
            placeholder={t('verify.codePlaceholder')}
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            value={code}
            onChange={(event) => {
              setCode(event.currentTarget.value);
              setCodeError(null);
            }}
            error={codeError}
            w={200}
            size="xs"
            data-testid={`${kind}-code-input`}
          />
          <Button type="submit" size="xs" loading={confirm.isPending} data-testid={`confirm-${kind}-code`}>
            {t('verify.submit')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('verify.validUntil', { time: formatDateTime(expiresAt) })}{' '}
          <Anchor component="button" type="button" size="xs" onClick={sendCode} disabled={start.isPending}>
            {t('verify.resend')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
