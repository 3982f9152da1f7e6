export { aliyunSmsProvider } from './sms.js';
export { aliyunVoiceProvider } from './voice.js';
