"""Cinder's own request validation, as the reference for Strata's messages.

Reads one JSON list of [schema, body] pairs on stdin, where schema names a schema of
cinder.api.schemas (such as "backups.create_backup_v351") and body is the request body's JSON text,
and prints one JSON list: for each pair,
null when Cinder's validator accepts the body, else the message of the 400 Cinder answers.
"""
import importlib
import json
import sys

from cinder import exception
from cinder.api.validation import validators


def message(schema_name, body):
    module, name = schema_name.rsplit('.', 1)
    schema = getattr(importlib.import_module('cinder.api.schemas.' + module), name)
    try:
        validators._SchemaValidator(schema).validate(body)
        return None
    except exception.ValidationError as e:
        return str(e.msg)
    except exception.CinderException as e:
        # A format checker's own exception (InvalidInput, InvalidParameterValue) reaches the client whole.
        return str(e.msg)


cases = json.load(sys.stdin)
print(json.dumps([message(schema, json.loads(body)) for schema, body in cases]))
