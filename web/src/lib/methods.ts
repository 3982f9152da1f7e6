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

/**
 * Human names for notification methods: a person's (voice, sms, email, push, im), an escalation
 * level's explicit ones (…_dm) and a provider's (webhook). Unknown names are shown as they are.
 */
const METHODS: Record<string, { label: string; icon: Icon }> = {
  voice: { label: 'Voice call', icon: IconPhoneCall },
  sms: { label: 'SMS', icon: IconDeviceMobileMessage },
  email: { label: 'Email', icon: IconMail },
  push: { label: 'App push', icon: IconBell },
  im: { label: 'IM direct message', icon: IconMessageCircle },
  webhook: { label: 'Group chat / webhook', icon: IconWebhook },
  slack_dm: { label: 'Slack DM', icon: IconBrandSlack },
  feishu_dm: { label: 'Feishu DM', icon: IconMessages },
  dingtalk_dm: { label: 'DingTalk DM', icon: IconMessages },
  wecom_dm: { label: 'WeCom DM', icon: IconMessages },
  teams_dm: { label: 'Teams DM', icon: IconMessages },
  telegram_dm: { label: 'Telegram DM', icon: IconBrandTelegram },
};

export function methodLabel(method: string): string {
  return METHODS[method]?.label ?? method;
}

export function methodIcon(method: string): Icon {
  return METHODS[method]?.icon ?? IconMessageCircle;
}

/** The provider method that delivers a person's or a level's method (every …_dm is an IM DM). */
export function providerMethodFor(method: string): string {
  return method.endsWith('_dm') ? 'im' : method;
}
