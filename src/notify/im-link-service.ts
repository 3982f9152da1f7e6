/**
 * The personal center's IM chat links (issue 12 item 3): which enabled providers need a linked chat
 * (Telegram), whether the person linked one, a one-time deep link to link it, and unlinking.
 */
import type { Clock } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import type { Executor } from '../db/types.js';
import { createLinkToken, deleteLink, linksOf } from './im-links-store.js';
import { findProviderRow, listProviderRows, type ProviderRow } from './providers-store.js';
import { loadSettings, type ProviderRegistry } from './registry.js';

export interface ImLinkView {
  readonly provider_id: string;
  readonly provider_name: string;
  readonly provider: string;
  readonly linked: boolean;
  readonly display_name: string | null;
  readonly linked_at: number | null;
  /** Whether the provider is set up for linking (a bot username and a webhook secret). */
  readonly ready: boolean;
}

export function createImLinkService(deps: { db: Executor; clock: Clock; registry: ProviderRegistry; secretKey: Buffer }) {
  const { db, registry } = deps;

  const linkable = (row: ProviderRow): boolean => Number(row.enabled) === 1 && registry.get(row.provider)?.personAddress === 'linked_chat';

  /** The bot's username when the configuration can link chats (buttons and `/start` need the webhook). */
  function botOf(row: ProviderRow): string | undefined {
    const provider = registry.get(row.provider);
    if (!provider) return undefined;
    const settings = loadSettings(provider, JSON.parse(row.settings_json) as Record<string, unknown>, deps.secretKey) as { botUsername?: string; webhookSecret?: string };
    return settings.botUsername !== undefined && settings.webhookSecret !== undefined ? settings.botUsername : undefined;
  }

  return {
    async list(personId: string): Promise<ImLinkView[]> {
      const rows = (await listProviderRows(db)).filter(linkable);
      const links = await linksOf(db, [personId]);
      return rows.map((row) => {
        const link = links.find((l) => l.providerId === row.id);
        return {
          provider_id: row.id,
          provider_name: row.name,
          provider: row.provider,
          linked: link !== undefined,
          display_name: link?.displayName ?? null,
          linked_at: link?.createdAt ?? null,
          ready: botOf(row) !== undefined,
        };
      });
    },

    /** A `https://t.me/<bot>?start=<token>` link, valid 15 minutes and once. */
    async start(personId: string, providerId: string): Promise<{ url: string; expires_at: number }> {
      const row = await findProviderRow(db, providerId);
      if (!row || !linkable(row)) throw notFound('IM provider');
      const bot = botOf(row);
      if (bot === undefined) throw invalid('provider_id', 'this bot has no username or webhook secret yet: an administrator completes its settings');
      const { token, expiresAt } = await createLinkToken(db, row.id, personId, deps.clock.now());
      return { url: `https://t.me/${encodeURIComponent(bot)}?start=${token}`, expires_at: expiresAt };
    },

    async unlink(personId: string, providerId: string): Promise<void> {
      if (!(await deleteLink(db, providerId, personId))) throw notFound('IM link');
    },
  };
}

export type ImLinkService = ReturnType<typeof createImLinkService>;
