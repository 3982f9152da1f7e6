/**
 * Twilio SMS (`twilio_sms`) and Twilio Voice (`twilio_voice`): two providers sharing settings, the REST
 * call and the callback signature (common.ts). Docs: docs/notifications/twilio.md.
 */
export { twilioSmsProvider, parseSmsCommand, smsReplyTwiml, SMS_USAGE, type SmsCommand } from './sms.js';
export { twilioVoiceProvider, callTwiml, MENU } from './voice.js';
export { twilioSignature, verifyTwilioRequest, DEFAULT_API_BASE, type TwilioSettings } from './common.js';
