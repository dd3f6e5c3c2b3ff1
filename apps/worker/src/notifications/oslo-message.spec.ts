import { notificationMessageId, osloMessage } from './oslo-message';
import { amqpUrlOf, redactedUrl } from './amqp-publisher';

const source = {
  eventId: '0190f3c2-0000-7000-8000-000000000001',
  index: 1,
  recordedAt: '2026-12-04T19:04:47.291Z',
  meta: { correlationId: 'c', causationId: 'c', userId: 'alice', projectId: 'demo', requestId: 'req-1' },
  host: 'strata-1',
};

describe("oslo.messaging's messagingv2 wire format", () => {
  const m = osloMessage({ service: 'backup', eventType: 'backup.create.end', payload: { backup_id: 'b' } }, source);
  const envelope = JSON.parse(m.body) as Record<string, string>;
  const inner = JSON.parse(envelope['oslo.message']) as Record<string, unknown>;

  it('wraps the message as a JSON string in the 2.0 envelope', () => {
    expect(Object.keys(envelope).sort()).toEqual(['oslo.message', 'oslo.version']);
    expect(envelope['oslo.version']).toBe('2.0');
  });

  it("carries oslo's fields, with the publisher named after the service and this host", () => {
    expect(inner).toEqual({
      message_id: m.messageId,
      publisher_id: 'backup.strata-1',
      event_type: 'backup.create.end',
      priority: 'INFO',
      payload: { backup_id: 'b' },
      timestamp: '2026-12-04 19:04:47.291000',
      _unique_id: m.messageId.replace(/-/g, ''),
      _context_request_id: 'req-1',
      _context_project_id: 'demo',
      _context_user_id: 'alice',
    });
    expect(m.priority).toBe('info');
  });

  it('derives the message_id from the event and the place of the notification, the same every time', () => {
    expect(m.messageId).toBe(notificationMessageId(source.eventId, 1));
    expect(notificationMessageId(source.eventId, 0)).not.toBe(m.messageId);
    expect(m.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("reads oslo's rabbit:// transport URL as amqplib's amqp://, and never logs its password", () => {
    expect(amqpUrlOf('rabbit://u:secret@10.0.0.1:5672/cinder')).toBe('amqp://u:secret@10.0.0.1:5672/cinder');
    expect(redactedUrl('rabbit://u:secret@10.0.0.1:5672/')).toBe('rabbit://u:***@10.0.0.1:5672/');
  });
});
