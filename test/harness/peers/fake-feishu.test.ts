import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeFeishu } from './fake-feishu.js';

const NOW = Date.UTC(2026, 0, 5, 9);
const SECRET = 'SEC-feishu-0123456789';
/** Computed outside Node (Python hmac/base64) for timestamp 1767603600. */
const GOLDEN_SIGN = 'quDeQl78splbhzDAZnBVZvZDubDvdyEPHuFGhUgND3M=';

describe('fake Feishu bot', () => {
  let feishu: FakeFeishu;
  const post = (body: unknown, url = feishu.hookUrl) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const card = { msg_type: 'interactive', card: { header: { title: { tag: 'plain_text', content: 'Critical' } }, elements: [] } };
  beforeAll(async () => {
    feishu = await FakeFeishu.start({ secret: SECRET, keywords: ['Critical'], now: () => NOW });
  });
  afterAll(() => feishu.close());
  beforeEach(() => feishu.reset());

  it('verifies the signature with its own implementation and answers like Feishu', async () => {
    expect(FakeFeishu.sign(SECRET, '1767603600')).toBe(GOLDEN_SIGN);
    expect(await post({ timestamp: '1767603600', sign: GOLDEN_SIGN, ...card })).toEqual({
      StatusCode: 0,
      StatusMessage: 'success',
      code: 0,
      data: {},
      msg: 'success',
    });
    const signError = { code: 19021, data: {}, msg: 'sign match fail or timestamp is not within one hour from current time' };
    expect(await post({ timestamp: '1767603600', sign: GOLDEN_SIGN.replace('q', 'Q'), ...card })).toEqual(signError);
    expect(await post(card)).toEqual(signError);
    const stale = String(Math.floor(NOW / 1000) - 3601);
    expect(await post({ timestamp: stale, sign: FakeFeishu.sign(SECRET, stale), ...card })).toEqual(signError);
    expect(await post({ timestamp: '1767603600', sign: GOLDEN_SIGN, ...card }, feishu.hookUrl.replace(feishu.token, 'other-token-123'))).toEqual({
      code: 19001,
      data: {},
      msg: 'param invalid: incoming webhook access token invalid',
    });
    expect(await post({ timestamp: '1767603600', sign: GOLDEN_SIGN, msg_type: 'text', content: { text: 'no keyword' } })).toEqual({
      code: 19024,
      data: {},
      msg: 'Key Words Not Found',
    });
    feishu.rateLimitNext();
    expect(((await post({ timestamp: '1767603600', sign: GOLDEN_SIGN, ...card })) as { code: number }).code).toBe(11232);
    expect(feishu.messages).toHaveLength(1);
    expect(feishu.requests).toHaveLength(7);
  });
});
