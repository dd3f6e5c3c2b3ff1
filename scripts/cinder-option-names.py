"""Prints the names of the options Cinder reads from [DEFAULT] of cinder.conf, one per line, sorted.

Run with Debian's python3-cinder (/usr/bin/python3) to regenerate libs/config/src/cinder-option-names.ts:
the options of cinder.opts (its [DEFAULT] and [backend_defaults] groups, the latter also read from
[DEFAULT] by every driver) and of the oslo libraries Cinder registers in [DEFAULT] (logging, messaging,
service, API paste, policy). Strata warns about any of these it does not implement, and about any other
name as unknown.
"""
import importlib

names = set()


def add(list_opts):
    for group, opts in list_opts():
        name = group if isinstance(group, str) or group is None else group.name
        if name in (None, 'DEFAULT', 'backend_defaults'):
            names.update(opt.name for opt in opts)


import cinder.opts  # noqa: E402

add(cinder.opts.list_opts)
for module, attr in [
    ('oslo_log._options', 'list_opts'),
    ('oslo_messaging.opts', 'list_opts'),
    ('oslo_service.service', 'list_opts'),
    ('oslo_service.wsgi', 'list_opts'),
    ('oslo_concurrency.opts', 'list_opts'),
]:
    try:
        add(getattr(importlib.import_module(module), attr))
    except (ImportError, AttributeError):
        pass

print('\n'.join(sorted(names)))
