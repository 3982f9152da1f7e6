/**
 * Alert-derived text (titles, labels, descriptions) sent to chat renderers — DingTalk and Feishu
 * markdown, Slack mrkdwn, webhook `text` — must not carry link or image syntax: a sender could plant
 * `[Reset your password](https://evil)` or a tracking `![](https://track/p.png)` in a group chat.
 * Renderers disagree on backslash escapes, so the brackets become their full-width look-alikes, which
 * no renderer reads as syntax and every reader still understands (issue 10 item 17, ADR 0028).
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = { '[': '［', ']': '］', '<': '＜', '>': '＞' };

/** `text` with `[ ] < >` replaced by full-width look-alikes: no links, images, autolinks or tags. */
export function neutralizeMarkdown(text: string): string {
  return text.replace(/[[\]<>]/g, (c) => LOOK_ALIKES[c] ?? c);
}
