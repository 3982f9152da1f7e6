import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDingTalk } from './fake-dingtalk.js';

const NOW = Date.UTC(2026, 0, 5, 9);
const SECRET = 'SECd1n9741a5bc0e2f3456789abcdef0123456789abcdef0123456789abcdef01';
/** Computed outside Node (Python hmac/base64/quote_plus) for timestamp 1767603600000. */
const GOLDEN_SIGN = '8sviYRXCG9XmHREJji1y4UPw%2FIQVcBpk1aP00Jz1D2Q%3D';

describe('fake DingTalk robot', () => {
  let ding: FakeDingTalk;
  const post = (query: string, body: unknown = { msgtype: 'markdown', markdown: { title: 't', text: 'x' } }) =>
    fetch(`${ding.webhookUrl}${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  beforeAll(async () => {
    ding = await FakeDingTalk.start({ secret: SECRET, now: () => NOW });
  });
  afterAll(() => ding.close());
  beforeEach(() => ding.reset());

  it('verifies the query signature with its own implementation and answers like DingTalk', async () => {
    expect(encodeURIComponent(FakeDingTalk.sign(SECRET, String(NOW)))).toBe(GOLDEN_SIGN);
    expect(await post(`&timestamp=${NOW}&sign=${GOLDEN_SIGN}`)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await post(`&timestamp=${NOW + 1}&sign=${GOLDEN_SIGN}`)).toEqual({ errcode: 310000, errmsg: 'sign not match' });
    expect(await post(`&timestamp=${NOW}`)).toEqual({ errcode: 310000, errmsg: 'sign not match' });
    expect(await post('')).toEqual({ errcode: 310000, errmsg: 'invalid timestamp' });
    expect(await post(`&timestamp=${Math.floor(NOW / 1000)}&sign=${GOLDEN_SIGN}`)).toEqual({ errcode: 310000, errmsg: 'invalid timestamp' });
    expect(await post(`&timestamp=${NOW}&sign=${GOLDEN_SIGN}`, { msgtype: 'markdown' })).toEqual({ errcode: 40035, errmsg: '缺少参数 msgtype' });
    ding.rateLimitNext();
    expect(await post(`&timestamp=${NOW}&sign=${GOLDEN_SIGN}`)).toEqual({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
    const wrongToken = await fetch(ding.webhookUrl.replace(ding.accessToken, 'nope0nope0nope'), { method: 'POST', body: '{}' }).then((r) => r.json());
    expect(wrongToken).toEqual({ errcode: 300001, errmsg: 'token is not exist' });
    expect(ding.messages).toHaveLength(1);
  });
});
