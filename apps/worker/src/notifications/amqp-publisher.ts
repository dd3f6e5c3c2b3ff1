import { Logger } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { OsloMessage } from './oslo-message';

export interface AmqpTarget {
  /** oslo's transport_url: `rabbit://user:pass@host:port/vhost` (amqp:// is the same thing). */
  readonly url: string;
  /** control_exchange: a topic exchange, declared as oslo declares it (not durable, not auto-deleted). */
  readonly exchange: string;
  readonly topics: readonly string[];
  /** How long one batch may wait for the broker's confirms before the connection is given up. */
  readonly confirmTimeoutMs: number;
}

/** Something that can deliver a batch of notifications and say when the broker has them. */
export interface NotificationPublisher {
  /** Resolves once the broker confirmed every message; rejects otherwise (none may be assumed delivered). */
  publish(messages: readonly OsloMessage[]): Promise<void>;
  readonly connected: boolean;
  close(): Promise<void>;
}

/** amqplib's URL for oslo's: the scheme differs, the rest is the same (a bare host is the default vhost). */
export const amqpUrlOf = (transportUrl: string): string => transportUrl.replace(/^rabbit:\/\//, 'amqp://');

/** Without the password, for logs. */
export const redactedUrl = (url: string): string => url.replace(/:[^:@/]*@/, ':***@');

/**
 * Publishes on a confirm channel of one connection, opened on first use and dropped at the first
 * error, so the next batch reconnects. Like oslo's notifier, it declares the `<topic>.<priority>` queue
 * and binds it, so that notifications are kept even before any listener has started.
 */
export class AmqpNotificationPublisher implements NotificationPublisher {
  private readonly logger = new Logger('Notifications');
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private readonly declared = new Set<string>();

  constructor(private readonly target: AmqpTarget) {}

  get connected(): boolean {
    return this.channel !== null;
  }

  async publish(messages: readonly OsloMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const channel = await this.open();
      for (const m of messages)
        for (const topic of this.target.topics) {
          const key = `${topic}.${m.priority}`;
          await this.declareQueue(channel, key);
          const body = Buffer.from(m.body, 'utf8');
          // content_type is what makes oslo's listener parse the body (without it, it drops the message).
          const ok = channel.publish(this.target.exchange, key, body, {
            contentType: 'application/json',
            contentEncoding: 'utf-8',
            deliveryMode: 2,
            messageId: m.messageId,
          });
          if (!ok)
            await new Promise<void>((resolve) => {
              channel.once('drain', resolve);
              channel.once('close', resolve); // then waitForConfirms fails the batch
            });
        }
      await withTimeout(channel.waitForConfirms(), this.target.confirmTimeoutMs, 'the broker did not confirm in time');
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private async open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const connection = await connect(amqpUrlOf(this.target.url), { timeout: 5_000 });
    // An unhandled 'error' would end the process: the broker going away is expected, the next batch reconnects.
    connection.on('error', (e: Error) => this.logger.warn(`connection to ${redactedUrl(this.target.url)}: ${e.message}`));
    connection.on('close', () => {
      if (this.connection === connection) this.forget();
    });
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (e: Error) => this.logger.warn(`channel: ${e.message}`));
      channel.on('close', () => {
        if (this.channel === channel) this.forget();
      });
      await channel.assertExchange(this.target.exchange, 'topic', { durable: false, autoDelete: false });
      this.connection = connection;
      this.channel = channel;
      this.logger.log(`publishing notifications to ${redactedUrl(this.target.url)} exchange ${this.target.exchange}`);
      return channel;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private async declareQueue(channel: ConfirmChannel, key: string) {
    if (this.declared.has(key)) return;
    await channel.assertQueue(key, { durable: false, autoDelete: false });
    await channel.bindQueue(key, this.target.exchange, key);
    this.declared.add(key);
  }

  private forget() {
    this.connection = null;
    this.channel = null;
    this.declared.clear();
  }

  private async drop() {
    const connection = this.connection;
    this.forget();
    if (connection) await connection.close().catch(() => undefined);
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number, message: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
