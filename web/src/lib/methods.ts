import {
  IconBell,
  IconBrandSlack,
  IconBrandTelegram,
  IconDeviceMobileMessage,
  IconMail,
  IconMessageCircle,
  IconMessages,
  IconPhoneCall,
  IconWebhook,
  type Icon,
} from '@tabler/icons-react';
import { i18next } from '../i18n';

/**
 * Human names for notification methods: a person's (voice, sms, email, push, im), an escalation
 * level's explicit ones (…_dm) and a provider's (webhook). Unknown names are shown as they are.
 */
const METHODS: Record<string, { icon: Icon }> = {
  voice: { icon: IconPhoneCall },
  sms: { icon: IconDeviceMobileMessage },
  email: { icon: IconMail },
  push: { icon: IconBell },
  im: { icon: IconMessageCircle },
  webhook: { icon: IconWebhook },
  slack_dm: { icon: IconBrandSlack },
  feishu_dm: { icon: IconMessages },
  dingtalk_dm: { icon: IconMessages },
  wecom_dm: { icon: IconMessages },
  teams_dm: { icon: IconMessages },
  telegram_dm: { icon: IconBrandTelegram },
};

/** The method's name in the console's language (`common:methods.<method>`). */
export function methodLabel(method: string): string {
  return METHODS[method] ? i18next.t(`common:methods.${method}`) : method;
}

export function methodIcon(method: string): Icon {
  return METHODS[method]?.icon ?? IconMessageCircle;
}

/** The provider method that delivers a person's or a level's method (every …_dm is an IM DM). */
export function providerMethodFor(method: string): string {
  return method.endsWith('_dm') ? 'im' : method;
}
