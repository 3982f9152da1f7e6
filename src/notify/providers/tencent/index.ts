export { tencentSmsProvider } from './sms.js';
export { tencentVoiceProvider } from './voice.js';
