#!/usr/bin/env python
"""Fill Vietnamese translations into a catalogue from a JSON map {msgid: msgstr}.

Usage: .venv/bin/python scripts/po_fill.py lantoa/<app>/locale/vi/LC_MESSAGES/django.po translations.json
Prints the msgids still untranslated.
"""

import json
import sys

import polib

po = polib.pofile(sys.argv[1])
mapping = json.load(open(sys.argv[2], encoding="utf-8"))
for entry in po:
    if entry.msgid in mapping:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: mapping[entry.msgid]}
        else:
            entry.msgstr = mapping[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save()
for entry in po.untranslated_entries():
    print(entry.msgid)
