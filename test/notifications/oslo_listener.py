#!/usr/bin/python3
"""oslo.messaging's own notification listener, as Ceilometer runs it: prints every notification it
receives as one JSON line (priority, event_type, publisher_id, payload, metadata, context).

usage: /usr/bin/python3 oslo_listener.py TRANSPORT_URL EXCHANGE TOPIC [POOL]
Prints LISTENING once its queues are bound; stops on SIGTERM.
"""
import json
import signal
import sys
import threading

from oslo_config import cfg
import oslo_messaging

url, exchange, topic = sys.argv[1], sys.argv[2], sys.argv[3]
pool = sys.argv[4] if len(sys.argv) > 4 else None

cfg.CONF([], project='strata-test-listener')
transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
targets = [oslo_messaging.Target(exchange=exchange, topic=topic)]


# The threading executor calls endpoints from several threads: one line at a time.
out = threading.Lock()


class Endpoint(object):
    def _emit(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        line = json.dumps({'priority': priority, 'event_type': event_type, 'publisher_id': publisher_id,
                           'payload': payload, 'metadata': metadata, 'ctxt': ctxt}, default=str)
        with out:
            sys.stdout.write(line + '\n')
            sys.stdout.flush()

    def audit(self, ctxt, publisher_id, event_type, payload, metadata):
        self._emit('audit', ctxt, publisher_id, event_type, payload, metadata)

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._emit('info', ctxt, publisher_id, event_type, payload, metadata)

    def warn(self, ctxt, publisher_id, event_type, payload, metadata):
        self._emit('warn', ctxt, publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._emit('error', ctxt, publisher_id, event_type, payload, metadata)


listener = oslo_messaging.get_notification_listener(transport, targets, [Endpoint()], executor='threading', pool=pool)
# One worker thread (the option exists once a server is built): a pool of 64 hands messages to the
# endpoint out of the order the queue holds them in.
cfg.CONF.set_override('executor_thread_pool_size', 1)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
signal.signal(signal.SIGINT, lambda *a: stop.set())
listener.start()
print('LISTENING', flush=True)
stop.wait()
listener.stop()
listener.wait()
transport.cleanup()
