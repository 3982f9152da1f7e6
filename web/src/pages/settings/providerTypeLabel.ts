import { i18next } from '../../i18n';

/**
 * A provider type's name in the person's language. The server names each type in English; the ones
 * the console knows are translated (「SMTP 邮件」, 「飞书机器人」), a newer one shows the server's name.
 */
export function providerTypeLabel(id: string, serverLabel: string): string {
  return i18next.t(`settings:providers.types.${id}`, { defaultValue: serverLabel });
}
